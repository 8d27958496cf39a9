import { normaliseText } from '../text/searchKey.js';

/** Decoded text, or the reason the bytes are not a text document (shown in a one-line warning). */
export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

const SNIFF_BYTES = 64 * 1024;

/**
 * UTF-8 (BOM optional) or UTF-16 with BOM. Binary data and other encodings are refused rather than
 * guessed: a wrong guess would index garbage that looks like Chinese.
 */
export function decodeDocumentBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    const head = bytes.subarray(0, SNIFF_BYTES);
    if (head.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      return { ok: false, reason: 'not valid UTF-8 text (save it as UTF-8)' };
    }
  }
  const controls = (text.slice(0, SNIFF_BYTES).match(/[\u0000-\u0008\u000E-\u001F]/g) ?? []).length;
  if (controls > 0.05 * Math.min(text.length, SNIFF_BYTES)) return { ok: false, reason: 'binary file (control characters)' };
  const normalised = normaliseText(text.replace(/\r\n?/g, '\n'));
  if (normalised.trim() === '') return { ok: false, reason: 'empty file (only whitespace)' };
  return { ok: true, text: normalised };
}
