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
  },
  'zh-Hant': {
    lead: '根據文獻原文，相關內容如下：',
    noAnswer: '文獻中沒有能回答這個問題的段落。',
    relatedHeading: '以下段落僅供參考（相關，但不是答案）：',
    sourcesHeading: '來源：',
    needsContext: '請說得具體一些：您想問哪件事、哪個國家或哪種礦物？',
    llmFallback: (reason) => `語言模型不可用（${reason}），以下為原文摘錄答案。`,
    llmDropped: (n) => `已刪除 ${n} 句無法在引文中核實的內容。`,
  },
  en: {
    lead: 'From the documents (quoted in the original Chinese):',
    noAnswer: 'The corpus has no passage that answers this question.',
    relatedHeading: 'Related passages (for reference, not an answer):',
    sourcesHeading: 'Sources:',
    needsContext: 'Could you say a little more — which event, country or mineral do you mean?',
    llmFallback: (reason) => `The language model was unavailable (${reason}); showing quoted passages instead.`,
    llmDropped: (n) => `${n} sentence(s) that the cited passages do not support were removed.`,
  },
};

export function phrasesFor(lang: QuestionLang): AnswerPhrases {
  return PHRASES[lang] ?? PHRASES['zh-Hans'];
}

/** Name of the question's language for the LLM prompt. */
export function languageName(lang: QuestionLang): string {
  return lang === 'en' ? 'English' : lang === 'zh-Hant' ? 'Traditional Chinese (繁體中文)' : 'Simplified Chinese (简体中文)';
}
