import { toSimplified } from '../text/searchKey.js';

/**
 * Site furniture of reposted web pages and journal page furniture: never content, never indexed.
 * Matched on the simplified form so traditional pages (加西網) and simplified ones share one list.
 * A phrase only counts when it is (nearly) the whole line or cell, so a paragraph or heading that
 * mentions 分享 or 推荐 is never dropped.
 */
const WIDGET_PHRASES = [
  '分享', '在此页阅读全文', '阅读全文', '延伸阅读', '更多...', '更多…', '推荐:', '推荐：', '相关阅读', '相关文章',
  '参与评论', '我也来说几句', '发表评论', '网友评论', '点击查看', '点击阅读', '扫码', '二维码', '关注我们', '打印本页',
  '返回顶部', '上一篇', '下一篇', '责任编辑', '编辑:', '编辑：', '版权所有', '未经授权', '转载请注明',
  '举报', '收藏本文', '字体:', '字体：', 'share this', 'read more', 'advertisement', 'subscribe',
];

const SHORT_LINE = 60;
const PUNCTUATION_OR_DIGITS = /[\s\p{P}\p{S}\d]/gu;

/** Which widget phrase a text holds and what is left of it without that phrase, punctuation and digits. */
function widgetResidue(cell: string): { phrase: boolean; residue: string } | undefined {
  const simple = toSimplified(cell.trim()).toLowerCase();
  if (simple === '') return undefined;
  const found = WIDGET_PHRASES.map((p) => p.replace(PUNCTUATION_OR_DIGITS, '')).find((p) => p && simple.includes(p));
  const rest = (found ? simple.replace(found, '') : simple).replace(PUNCTUATION_OR_DIGITS, '');
  return { phrase: !!found, residue: rest };
}

/** A whole-line bracketed notice such as "[加西網正招聘多名全職sales 待遇優]" or "[图片]". */
const BRACKETED_NOTICE = /^\s*[\[【][^\]】]{1,50}[\]】]\s*$/u;
/** A comment counter: "已經有 11 人參與評論了, 我也來說幾句吧". */
const COMMENT_COUNTER = /已经?有\s*\d+\s*(?:人|位)(?:参与)?(?:评论|回复)/u;
/** Share/recommend widgets rendered as table cells: "| 分享: |", "| 注: | 在此頁閱讀全文 |". */
const PIPE_ROW = /^\s*\|.*\|\s*$/;
/** Journal page furniture: "(截稿：2023年10月 责任编辑：赵远良)". */
const EDITORIAL_NOTE = /^[（(]?\s*截稿[:：]/u;

export function isBoilerplateLine(line: string): boolean {
  const text = line.trim();
  if (text === '') return false;
  const simple = toSimplified(text).toLowerCase();
  if (COMMENT_COUNTER.test(simple) || EDITORIAL_NOTE.test(simple)) return true;
  if (BRACKETED_NOTICE.test(text) && !/^\[\^/.test(text)) return true;
  if (PIPE_ROW.test(text)) {
    // a row of short cells where every cell is a widget label ("分享:", "注:", "在此頁閱讀全文", "更多...")
    const cells = text.split('|').map((c) => widgetResidue(c)).filter((c) => c !== undefined);
    const filled = cells.filter((c) => c.phrase || c.residue !== '');
    return filled.length > 0 && filled.some((c) => c.phrase) && filled.every((c) => (c.phrase ? c.residue === '' : c.residue.length <= 2));
  }
  if (simple.length > SHORT_LINE) return false;
  const widget = widgetResidue(simple);
  // the line is the widget, give or take a name or a number ("责任编辑：赵远良", "推薦:"), not a heading that mentions it
  return !!widget && widget.phrase && widget.residue.length <= 4;
}
