import { UserInputError } from '../core/errors.js';
import { questionError } from './messages.js';

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
  if (typeof raw !== 'string') throw new UserInputError(questionError('notText'));
  const cleaned = raw.replace(CONTROL, '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!cleaned) throw new UserInputError(questionError('empty'));
  if ([...cleaned].length > QUESTION_MAX_CHARS) {
    throw new UserInputError(questionError('tooLong', { max: QUESTION_MAX_CHARS }));
  }
  if (URL_ONLY.test(cleaned)) {
    throw new UserInputError(questionError('onlyLink'));
  }
  if (!/[\p{L}\p{N}]/u.test(cleaned)) {
    throw new UserInputError(questionError('noWords'));
  }
  return cleaned;
}
