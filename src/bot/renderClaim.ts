/** Pure rendering of "Find sources for this" (Librarian.findSources) into Discord messages, within Discord's limits. */
import type { QuestionLang } from '../core/answer.js';
import type { ClaimCheck, ClaimEvidence, ClaimVerdict, FigureConflict } from '../service/librarian-api.js';
import { DISCORD_LIMITS as L } from './discordLimits.js';
import { clip, packEmbeds, textEmbeds, type RenderedMessage } from './render.js';

interface Words {
  title: Record<ClaimVerdict, string>;
  supportedBy: string;
  differs: (claim: string, n: string, passage: string) => string;
  noneSupports: string;
  closest: string;
  unchecked: (n: number) => string;
  how: string;
}

const list = (figures: string[], sep: string) => figures.join(sep);

const words: Record<QuestionLang, Words> = {
  en: {
    title: { supported: 'Supported by the documents', 'different-figures': 'The documents give different figures', unsupported: 'No passage in the documents supports this' },
    supportedBy: '✅ Supported by',
    differs: (claim, n, passage) => `⚠️ The claim says ${claim}; ${n} says ${passage}.`,
    noneSupports: '❓ No passage supports this.',
    closest: 'Closest passages',
    unchecked: (n) => `(${n} more sentence${n === 1 ? '' : 's'} not checked)`,
    how: 'A passage supports a claim when one or two of its sentences give the claim’s figures and at least half of its words.',
  },
  'zh-Hans': {
    title: { supported: '文献支持这一说法', 'different-figures': '文献给出的数字或日期与此不同', unsupported: '文献中没有段落支持这一说法' },
    supportedBy: '✅ 依据',
    differs: (claim, n, passage) => `⚠️ 该说法为 ${claim}，而 ${n} 为 ${passage}。`,
    noneSupports: '❓ 没有段落支持这一说法。',
    closest: '最接近的段落',
    unchecked: (n) => `（另有 ${n} 句未核对）`,
    how: '若某段落的一两个句子包含该说法的数字及至少一半的词语，即视为支持。',
  },
  'zh-Hant': {
    title: { supported: '文獻支持這一說法', 'different-figures': '文獻給出的數字或日期與此不同', unsupported: '文獻中沒有段落支持這一說法' },
    supportedBy: '✅ 依據',
    differs: (claim, n, passage) => `⚠️ 該說法為 ${claim}，而 ${n} 為 ${passage}。`,
    noneSupports: '❓ 沒有段落支持這一說法。',
    closest: '最接近的段落',
    unchecked: (n) => `（另有 ${n} 句未核對）`,
    how: '若某段落的一兩個句子包含該說法的數字及至少一半的詞語，即視為支持。',
  },
};

const QUOTE_MAX = 400;

/** The claim check as one or more messages: the verdict as the title, each sentence with its passages, ids to /cite. */
export function renderClaimCheck(check: ClaimCheck): RenderedMessage[] {
  const w = words[check.lang];
  const sep = check.lang === 'en' ? ', ' : '、';
  let n = 0;
  const block = (e: ClaimEvidence) => `**[${++n}] ${e.passage.label}** — ${clip(e.title, 120)} \`${e.passage.id}\`\n> ${clip(e.quote, QUOTE_MAX).replace(/\n/g, '\n> ')}`;
  const conflict = (c: FigureConflict) => {
    const text = block(c);
    return `${w.differs(list(c.claimFigures, sep), `[${n}]`, list(c.passageFigures, sep))}\n${text}`;
  };
  const sections = check.findings.map((f) => {
    const lines: string[] = [`> ${clip(f.claim, 300)}`];
    if (f.supporting.length) lines.push(w.supportedBy, ...f.supporting.map(block));
    lines.push(...f.conflicting.map(conflict));
    if (f.verdict === 'unsupported') lines.push(w.noneSupports, ...(f.closest.length ? [`*${w.closest}*`, ...f.closest.map(block)] : []));
    return lines.join('\n');
  });
  if (check.unchecked) sections.push(w.unchecked(check.unchecked));
  const embeds = textEmbeds(w.title[check.verdict], sections.join('\n\n'));
  embeds[embeds.length - 1].footer = { text: clip(w.how, L.footerText) };
  return packEmbeds(embeds).map((group) => ({ embeds: group, components: [] }));
}
