import type { QuestionLang } from '../core/answer.js';

/** What the bot says, in the three languages people ask in. */
export interface Phrases {
  sources: string;
  sourcesHeading: string;
  continued: string;
  pickCitation: string;
  rateLimited: (seconds: number) => string;
  notAllowedHere: string;
  error: string;
  thanks: string;
  noPassages: string;
  passageGone: string;
  emptyQuestion: string;
  shuttingDown: string;
  adminOnly: string;
  noTextInMessage: string;
}

const en: Phrases = {
  sources: 'Sources',
  sourcesHeading: 'Sources',
  continued: '(continued)',
  pickCitation: 'Quote a source…',
  rateLimited: (s) => `You're asking faster than I can read — please try again in ${s} s.`,
  notAllowedHere: "I don't answer in this channel.",
  error: 'Sorry, something went wrong while answering. Please try again.',
  thanks: 'Thanks for the feedback!',
  noPassages: 'No passages to show.',
  passageGone: 'That passage is no longer in the index.',
  emptyQuestion: 'Ask me a question after the mention, e.g. “@Lodestone What is selective decoupling?”',
  shuttingDown: 'I am restarting — please ask again in a minute.',
  adminOnly: 'Only members with the Manage Server permission can do this.',
  noTextInMessage: 'That message has no text I could read.',
};

const zhHans: Phrases = {
  sources: '来源',
  sourcesHeading: '来源',
  continued: '（续）',
  pickCitation: '引用一条来源…',
  rateLimited: (s) => `提问太快啦，请 ${s} 秒后再试。`,
  notAllowedHere: '我不在这个频道回答问题。',
  error: '抱歉，回答时出了点问题，请再试一次。',
  thanks: '谢谢你的反馈！',
  noPassages: '没有可显示的段落。',
  passageGone: '索引中已没有这段文字。',
  emptyQuestion: '请在提及后写下问题，例如“@Lodestone 什么是选择性脱钩？”',
  shuttingDown: '我正在重启，请稍后再问。',
  adminOnly: '只有拥有“管理服务器”权限的成员可以这样做。',
  noTextInMessage: '这条消息里没有我能读的文字。',
};

const zhHant: Phrases = {
  sources: '來源',
  sourcesHeading: '來源',
  continued: '（續）',
  pickCitation: '引用一條來源…',
  rateLimited: (s) => `提問太快啦，請 ${s} 秒後再試。`,
  notAllowedHere: '我不在這個頻道回答問題。',
  error: '抱歉，回答時出了點問題，請再試一次。',
  thanks: '謝謝你的回饋！',
  noPassages: '沒有可顯示的段落。',
  passageGone: '索引中已沒有這段文字。',
  emptyQuestion: '請在提及後寫下問題，例如「@Lodestone 什麼是選擇性脫鉤？」',
  shuttingDown: '我正在重新啟動，請稍後再問。',
  adminOnly: '只有擁有「管理伺服器」權限的成員可以這樣做。',
  noTextInMessage: '這則訊息裡沒有我能讀的文字。',
};

export function phrasesFor(lang: QuestionLang | undefined): Phrases {
  return lang === 'zh-Hans' ? zhHans : lang === 'zh-Hant' ? zhHant : en;
}
