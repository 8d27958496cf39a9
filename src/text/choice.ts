import { clipChars } from './clip.js';

/** An autocomplete choice as Discord takes it (the terminal chat and the CLI use the same). */
export interface Choice {
  /** At most CHOICE_TEXT_MAX characters. */
  name: string;
  /** At most CHOICE_TEXT_MAX characters. */
  value: string;
}

/** Discord's limits on autocomplete: 25 choices, 100 characters per name and value. */
export const CHOICES_MAX = 25;
export const CHOICE_TEXT_MAX = 100;

/** A choice with both parts clipped to the limit. */
export function choice(name: string, value: string): Choice {
  return { name: clipChars(name, CHOICE_TEXT_MAX), value: clipChars(value, CHOICE_TEXT_MAX) };
}
