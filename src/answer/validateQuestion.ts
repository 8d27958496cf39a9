import { UserInputError } from '../core/errors.js';

export const QUESTION_MAX_CHARS = 2000;

// C0/C1 controls except tab/newline, zero-width and bidi controls, BOM.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const URL_ONLY = /^(?:(?:https?|ftp):\/\/|www\.)\S+$/i;

/**
 * The cleaned question, or a `UserInputError` whose message (English + Chinese) can be shown as-is.
 * Control characters are stripped rather than rejected; what is left must contain a letter or digit
 * that is not part of a bare URL.
 */
export function validateQuestion(raw: string): string {
  if (typeof raw !== 'string') throw new UserInputError('The question must be text. / 问题必须是文字。');
  const cleaned = raw.replace(CONTROL, '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!cleaned) throw new UserInputError('The question is empty. / 问题为空，请输入一个问题。');
  if ([...cleaned].length > QUESTION_MAX_CHARS) {
    throw new UserInputError(
      `The question is too long (over ${QUESTION_MAX_CHARS} characters). / 问题过长（超过 ${QUESTION_MAX_CHARS} 个字符），请缩短后再问。`,
    );
  }
  if (URL_ONLY.test(cleaned)) {
    throw new UserInputError('The question is only a link; please ask in words. / 问题只有一个链接，请用文字提问。');
  }
  if (!/[\p{L}\p{N}]/u.test(cleaned)) {
    throw new UserInputError(
      'The question has no words (only emoji or symbols); please ask in words. / 问题中没有文字（只有表情或符号），请用文字提问。',
    );
  }
  return cleaned;
}
