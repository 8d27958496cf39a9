/** At most `max` characters (code points, so a surrogate pair is never cut), with an ellipsis when cut. */
export function clipChars(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}
