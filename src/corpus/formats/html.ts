import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { toSimplified } from '../../text/searchKey.js';
import type { ConvertResult } from './convert.js';
import { collapseHtmlSpace, htmlBlocksToText, type DomNode } from './html-blocks.js';

/**
 * A saved web page: decoded in the charset it declares (GBK and Big5 pages included), the article found by
 * Mozilla's Readability (the Firefox reader view) over a linkedom DOM, then written as markdown-ish text.
 * Site furniture — navigation, ads, "相关阅读" lists, comment widgets, share bars, footers — is removed before
 * Readability looks, so none of it can reach a passage even when it sits inside the article's container.
 */

/** Headings of the lists and widgets that follow an article on Chinese news and blog sites (simplified form). */
const WIDGET_HEADINGS = new Set([
  '相关阅读', '相关文章', '相关新闻', '相关报道', '相关链接', '延伸阅读', '推荐阅读', '扩展阅读', '更多阅读', '热门文章', '热门推荐',
  '热门新闻', '热点新闻', '精彩推荐', '猜你喜欢', '为你推荐', '今日推荐', '编辑推荐', '最新文章', '最新评论', '网友评论', '热门评论',
  '发表评论', '评论', '留言', '分享到', '分享', 'related articles', 'related', 'read more', 'comments', 'you may also like',
]);
/** class/id words of site furniture. */
const FURNITURE = /(?:^|[\s_-])(?:ad|ads|adv|advert|advertisement|banner|sponsor|promo|related|recommend|recommended|comments?|reply|replies|share|sharing|social|footer|nav|navbar|menu|sidebar|breadcrumbs?|pagination|pager|copyright|toolbar|hot|rank|subscribe|newsletter|qrcode)(?:$|[\s_-])/i;
const FURNITURE_SELECTOR = 'script, style, noscript, template, iframe, nav, aside, footer, form, button, [role=navigation], [role=complementary], [role=contentinfo], [role=banner], [hidden], [aria-hidden=true]';

interface LinkedomElement extends DomNode {
  tagName: string;
  parentNode: LinkedomElement | null;
  nextElementSibling: LinkedomElement | null;
  children: ArrayLike<LinkedomElement>;
  remove(): void;
  querySelectorAll(selector: string): ArrayLike<LinkedomElement>;
}

/** Charset the page declares (BOM, then `<meta charset>` / http-equiv, then an XML declaration), if any. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  const head = Buffer.from(bytes.subarray(0, 8192)).toString('latin1');
  const meta = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (meta) return meta[1].toLowerCase();
  const xml = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return xml ? xml[1].toLowerCase() : undefined;
}

export function decodeHtml(bytes: Uint8Array): { ok: true; html: string } | { ok: false; reason: string } {
  const charset = declaredCharset(bytes);
  if (charset) {
    let decoder: { decode(input: Uint8Array): string };
    try {
      decoder = new TextDecoder(charset);
    } catch {
      return { ok: false, reason: `unknown charset "${charset}" declared by the page` };
    }
    return { ok: true, html: decoder.decode(bytes) };
  }
  try {
    return { ok: true, html: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'not UTF-8 and no charset declared (add <meta charset="…"> or save it as UTF-8)' };
  }
}

const simplifiedText = (el: DomNode) => toSimplified(collapseHtmlSpace(el.textContent ?? '')).toLowerCase().replace(/[\s:：»>›|｜·•\-—]+/g, '');

/** class/id words of the line under a headline: byline, date, source, tags. */
const ARTICLE_META = /(?:^|[\s_-])(?:byline|author|authors|meta|post-meta|article-meta|info|article-info|time|date|pubtime|source|editor|tags?)(?:$|[\s_-])/i;
/** A short line that is only who wrote it, when and where it came from: "记者 林晓 2025-03-18", "来源：新华社". */
const META_LINE = /^(?:(?:记者|作者|文|撰文|编辑|责编|责任编辑|来源|发布时间|发布|时间|日期|by)\s*[:：/]?\s*\S)/iu;

/** Removes the byline/date line under the headline; returns the byline text (the author when the page names no other). */
function removeArticleMeta(document: { querySelectorAll(selector: string): ArrayLike<LinkedomElement> }): string | undefined {
  let byline: string | undefined;
  for (const el of Array.from(document.querySelectorAll('[class], [id]'))) {
    if (['HTML', 'BODY', 'ARTICLE', 'MAIN'].includes(el.tagName) || !el.parentNode) continue;
    const names = `${el.getAttribute?.('class') ?? ''} ${el.getAttribute?.('id') ?? ''}`;
    const text = collapseHtmlSpace(el.textContent ?? '');
    if (!ARTICLE_META.test(names) || [...text].length > 80) continue;
    if (/byline|author/i.test(names) && !byline) byline = text;
    el.remove();
  }
  for (const el of Array.from(document.querySelectorAll('p, div, span'))) {
    if (!el.parentNode || el.children.length > 3) continue;
    const text = toSimplified(collapseHtmlSpace(el.textContent ?? ''));
    if ([...text].length <= 40 && META_LINE.test(text) && !/[。！？]$/u.test(text)) el.remove();
  }
  return byline;
}

/** "标题_频道_青石新闻网" → "标题": the site's and channel's names after the headline, as Chinese sites write them. */
function articleTitle(raw: string, headings: string[], site: string | undefined): string {
  const title = collapseHtmlSpace(raw);
  const parts = title.split(/\s*(?:_|\||｜|\s[-–—]\s)\s*/u).filter(Boolean);
  if (parts.length < 2) return title;
  const squash = (t: string) => t.replace(/\s+/g, '');
  const named = headings.map(squash);
  for (let n = parts.length - 1; n >= 1; n--) {
    const head = parts.slice(0, n).join(' ');
    if (named.includes(squash(head))) return head;
  }
  const rest = parts.filter((p) => !site || squash(p) !== squash(site));
  return rest.length < parts.length && rest.length ? rest.join(' ') : parts[0].length >= 4 ? parts[0] : title;
}

function removeFurniture(document: { querySelectorAll(selector: string): ArrayLike<LinkedomElement> }): void {
  for (const el of Array.from(document.querySelectorAll(FURNITURE_SELECTOR))) el.remove();
  for (const el of Array.from(document.querySelectorAll('[class], [id]'))) {
    if (['HTML', 'BODY', 'ARTICLE', 'MAIN'].includes(el.tagName)) continue;
    const names = `${el.getAttribute?.('class') ?? ''} ${el.getAttribute?.('id') ?? ''}`;
    if (FURNITURE.test(names)) el.remove();
  }
  // "相关阅读" and its list: the heading, the lists and link blocks after it, and a wrapper holding nothing else
  for (const el of Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, p, div, span, strong, b, dt, header'))) {
    if (!el.parentNode || !WIDGET_HEADINGS.has(simplifiedText(el))) continue;
    let next = el.nextElementSibling;
    while (next && (['UL', 'OL', 'DL'].includes(next.tagName) || isLinkBlock(next))) {
      const after = next.nextElementSibling;
      next.remove();
      next = after;
    }
    const parent = el.parentNode;
    el.remove();
    if (parent && parent.tagName !== 'BODY' && (simplifiedText(parent) === '' || isLinkBlock(parent))) parent.remove();
  }
}

/** A block whose text is (almost) all link text: a list of headlines. */
function isLinkBlock(el: LinkedomElement): boolean {
  const all = collapseHtmlSpace(el.textContent ?? '').length;
  if (all === 0) return false;
  const links = Array.from(el.querySelectorAll('a')).reduce((n, a) => n + collapseHtmlSpace(a.textContent ?? '').length, 0);
  return links / all > 0.7;
}

function cleanByline(byline: string | null | undefined): string | undefined {
  if (!byline) return undefined;
  const text = collapseHtmlSpace(byline)
    .replace(/^(?:by|作者|文|撰文|记者|記者|來源|来源)\s*[:：/｜|]?\s*/i, '')
    .replace(/\s*[|｜].*$/u, '')
    .trim();
  return text && [...text].length <= 40 ? text : undefined;
}

export async function convertHtml(bytes: Uint8Array): Promise<ConvertResult> {
  const decoded = decodeHtml(bytes);
  if (!decoded.ok) return decoded;
  const { document } = parseHTML(decoded.html);
  const doc = document as unknown as { querySelectorAll(s: string): ArrayLike<LinkedomElement>; body: LinkedomElement | null; title: string };
  const pageTitle = collapseHtmlSpace(doc.title ?? '');
  const headings = Array.from(doc.querySelectorAll('h1, h2')).map((h) => collapseHtmlSpace(h.textContent ?? ''));
  removeFurniture(doc);
  const bylineText = removeArticleMeta(doc);
  let article: ReturnType<Readability<DomNode>['parse']> = null;
  try {
    article = new Readability<DomNode>(document as never, { serializer: (node) => node as unknown as DomNode, charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  const root = article?.content ?? doc.body;
  if (!root) return { ok: false, reason: 'no text in the page' };
  const site = article?.siteName ? collapseHtmlSpace(article.siteName) : '';
  const title = articleTitle(article?.title || pageTitle, headings, site) || undefined;
  const text = htmlBlocksToText(root, { title });
  if (text.replace(/^#.*$/m, '').trim() === '') return { ok: false, reason: 'no article text found in the page' };
  const metadata: ConvertResult & { ok: true } = { ok: true, text, metadata: {} };
  if (title) metadata.metadata.title = title;
  const author = cleanByline(article?.byline) ?? cleanByline(bylineText?.replace(/\s*(?:19|20)\d\d[-年/.].*$/u, ''));
  if (author) metadata.metadata.author = author;
  if (site && [...site].length <= 40) metadata.metadata.venue = site;
  const year = /^((?:19|20)\d\d)-/.exec(article?.publishedTime ?? '')?.[1];
  if (year) metadata.metadata.year = Number(year);
  return metadata;
}
