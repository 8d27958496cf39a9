import type { QuestionLang } from '../core/answer.js';

/** Fixed reader-facing phrases in the question's language (quotes stay in the source's script). */
export interface AnswerPhrases {
  lead: string;
  noAnswer: string;
  relatedHeading: string;
  sourcesHeading: string;
  /** A bare follow-up ("为什么？") with no conversation to take its subject from. */
  needsContext: string;
  llmFallback: (reason: string) => string;
  llmDropped: (n: number) => string;
  /** The lead when nothing checkable could be extracted: the quotes follow. */
  neutralLead: string;
  /** Under a comparison's side that no passage covers. */
  noSidePassage: string;
  /** Under a part of a question in several parts that no passage answers. */
  noPartPassage: string;
  /** The two documents give different figures (or dates) for what was asked: `a` and `b` list each side's. */
  differingFigures: (dates: boolean, a: string, b: string) => string;
  /** Under an English answer whose lead is still Chinese: the source's language, and how to get English answers. */
  chineseSourceNote?: string;
  /** A change a lead computed: `name` (may be empty) went from `from` to `to`, by `diff` (percentage points when `points`). */
  change: (name: string, from: string, to: string, falling: boolean, diff: string, points: boolean) => string;
}

const PHRASES: Record<QuestionLang, AnswerPhrases> = {
  'zh-Hans': {
    lead: '根据文献原文，相关内容如下：',
    noAnswer: '文献中没有能回答这个问题的段落。',
    relatedHeading: '以下段落仅供参考（相关，但不是答案）：',
    sourcesHeading: '来源：',
    needsContext: '请说得具体一些：您想问哪件事、哪个国家或哪种矿物？',
    llmFallback: (reason) => `语言模型不可用（${reason}），以下为原文摘录答案。`,
    llmDropped: (n) => `已删除 ${n} 句无法在引文中核实的内容。`,
    neutralLead: '文献原文如下：',
    noSidePassage: '（文献中没有关于这一方的段落。）',
    noPartPassage: '（文献中没有回答这一问的段落。）',
    differingFigures: (dates, a, b) => `（两篇文献给出的${dates ? '时间' : '数字'}不同——${a}；${b}。请核对各自所指。）`,
    change: (name, from, to, falling, diff, points) => `${name}从 ${from} ${falling ? '降至' : '升至'} ${to}，${falling ? '下降' : '上升'} ${diff}${points ? ' 个百分点' : ''}`,
  },
  'zh-Hant': {
    lead: '根據文獻原文，相關內容如下：',
    noAnswer: '文獻中沒有能回答這個問題的段落。',
    relatedHeading: '以下段落僅供參考（相關，但不是答案）：',
    sourcesHeading: '來源：',
    needsContext: '請說得具體一些：您想問哪件事、哪個國家或哪種礦物？',
    llmFallback: (reason) => `語言模型不可用（${reason}），以下為原文摘錄答案。`,
    llmDropped: (n) => `已刪除 ${n} 句無法在引文中核實的內容。`,
    neutralLead: '文獻原文如下：',
    noSidePassage: '（文獻中沒有關於這一方的段落。）',
    noPartPassage: '（文獻中沒有回答這一問的段落。）',
    differingFigures: (dates, a, b) => `（兩篇文獻給出的${dates ? '時間' : '數字'}不同——${a}；${b}。請核對各自所指。）`,
    change: (name, from, to, falling, diff, points) => `${name}從 ${from} ${falling ? '降至' : '升至'} ${to}，${falling ? '下降' : '上升'} ${diff}${points ? ' 個百分點' : ''}`,
  },
  en: {
    lead: 'From the documents (quoted in the original Chinese):',
    noAnswer: 'The corpus has no passage that answers this question.',
    relatedHeading: 'Related passages (for reference, not an answer):',
    sourcesHeading: 'Sources:',
    needsContext: 'Could you say a little more — which event, country or mineral do you mean?',
    llmFallback: (reason) => `The language model was unavailable (${reason}); showing quoted passages instead.`,
    llmDropped: (n) => `${n} sentence(s) that the cited passages do not support were removed.`,
    neutralLead: 'From the documents (quoted in the original Chinese):',
    chineseSourceNote: 'The source is in Chinese; with an LLM set up (README, "An LLM, step by step") answers are written in English.',
    noSidePassage: '(No passage in the documents covers this side.)',
    noPartPassage: '(No passage in the documents answers this part.)',
    differingFigures: (dates, a, b) => `(The two documents give different ${dates ? 'dates' : 'figures'} — ${a}; ${b}. Check what each refers to.)`,
    change: (name, from, to, falling, diff, points) => `${name ? `${name}: ` : ''}from ${from} to ${to}, ${falling ? 'down' : 'up'} ${diff}${points ? ' percentage points' : ''}`,
  },
};

export function phrasesFor(lang: QuestionLang): AnswerPhrases {
  return PHRASES[lang] ?? PHRASES['zh-Hans'];
}

/** Name of the question's language for the LLM prompt. */
export function languageName(lang: QuestionLang): string {
  return lang === 'en' ? 'English' : lang === 'zh-Hant' ? 'Traditional Chinese (繁體中文)' : 'Simplified Chinese (简体中文)';
}

/** Why a question cannot be asked, in English and Chinese at once (shown before its language is known). */
export const QUESTION_ERRORS = {
  notText: 'The question must be text. / 问题必须是文字。',
  empty: 'The question is empty. / 问题为空，请输入一个问题。',
  tooLong: (max: number) => `The question is too long (over ${max} characters). / 问题过长（超过 ${max} 个字符），请缩短后再问。`,
  onlyLink: 'The question is only a link; please ask in words. / 问题只有一个链接，请用文字提问。',
  noWords: 'The question has no words (only emoji or symbols); please ask in words. / 问题中没有文字（只有表情或符号），请用文字提问。',
};
