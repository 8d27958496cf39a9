/**
 * Countries and regions (lang/gazetteer.json): how people name them in simplified, traditional and English, read
 * once. Language data, not a collection's: a follow-up swaps one place for another (那中国呢), a comparison sets
 * two named places against each other, and a country's name says whose figure a sentence gives, not what it is
 * about.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { QuestionLang } from '../core/answer.js';

interface PlaceEntry {
  'zh-Hans': string;
  'zh-Hant': string;
  en: string;
  englishForms: string[];
  englishAdjectives: string[];
  shortForms: string[];
}

/** A place as the code uses it: its simplified name is its id (search keys are simplified and lower-case). */
export interface Place {
  id: string;
  names: Record<QuestionLang, string>;
  /** Matches the place in a search key (simplified Chinese, lower-case English). */
  inKey: RegExp;
  /** The English forms alone (to blank them out of a key). */
  english: RegExp;
  /** A term that is one of the English names, whole (not an adjective: "Latin American countries" are no figure of the United States). */
  englishTerm: RegExp;
  /** Every Chinese form (simplified name and short forms). */
  chineseForms: string[];
}

let places: Place[] | undefined;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function gazetteer(): Place[] {
  if (places) return places;
  const file = JSON.parse(readFileSync(fileURLToPath(new URL('../../lang/gazetteer.json', import.meta.url)), 'utf8')) as { places: PlaceEntry[] };
  places = file.places.map((p) => {
    // a one-character short form (美, 中) only stands for the place in a compound the key spells whole (中美): it
    // is no pattern of its own, only a form a term may equal
    const chineseForms = [p['zh-Hans'], ...p.shortForms];
    const multi = chineseForms.filter((f) => [...f].length > 1).map(escape);
    return {
      id: p['zh-Hans'],
      names: { 'zh-Hans': p['zh-Hans'], 'zh-Hant': p['zh-Hant'], en: p.en },
      inKey: new RegExp([...multi, ...p.englishForms, ...p.englishAdjectives].join('|'), 'u'),
      english: new RegExp([...p.englishForms, ...p.englishAdjectives].join('|'), 'gu'),
      englishTerm: new RegExp(`^(?:${p.englishForms.join('|')})$`, 'u'),
      chineseForms,
    };
  });
  return places;
}

/** The places a search key names, in gazetteer order. */
export function placesIn(key: string): Place[] {
  return gazetteer().filter((p) => p.inKey.test(key));
}

/** Whether a term (search-key form) is a place's name or short form, Chinese or English (美国, 中方, us, china), not an adjective. */
export function isPlaceName(term: string): boolean {
  return gazetteer().some((p) => p.chineseForms.includes(term) || p.englishTerm.test(term));
}
