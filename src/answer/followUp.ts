import { contentTerms, STOPWORDS } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import { anchoredCue } from '../text/lang.js';
import { placesIn } from '../text/gazetteer.js';

export interface ConversationTurn {
  question: string;
  answer?: string;
}

/** Words that only ask for more about the previous turn ("为什么？", "tell me more"): a question of nothing else needs its context. */
const bare = (text: string) => anchoredCue('bareFollowUp', '^(?:', ')[?？!！。.\\s]*$').test(text);

/** How a follow-up opens ("那…", "what about …"): no word of its own. */
const opener = () => anchoredCue('followUpOpener', '^(?:', ')\\s*');

export interface FollowUp {
  /** The question to search and compose with: the follow-up joined with the context it leaves implicit. */
  standalone: string;
  /** Terms of the follow-up's own words: the new aspect, weighted above the carried context. */
  focus: string[];
  /** A bare follow-up ("为什么？") with no conversation to take its subject from. */
  needsContext: boolean;
}

/**
 * A follow-up without an LLM: the previous question's content terms are carried over, except a place the
 * follow-up swaps for another (那中国呢 after a question about 美国); a bare "为什么？" keeps the previous
 * question whole. With no history a bare follow-up needs context.
 */
export function followUpQuestion(question: string, history: ConversationTurn[] | undefined): FollowUp {
  const trimmed = question.trim();
  const isBare = bare(trimmed);
  const previous = history?.length ? history[history.length - 1].question : undefined;
  if (!previous) return { standalone: question, focus: [], needsContext: isBare };
  const own = contentTerms(trimmed.replace(opener(), ''));
  if (isBare) return { standalone: `${previous} ${trimmed}`, focus: [], needsContext: false };
  const ownKey = searchKey(trimmed);
  // a place the follow-up names replaces the previous question's (那中国呢 after a question about 美国)
  const newPlaces = placesIn(ownKey);
  const swapped = newPlaces.length ? placesIn(searchKey(previous)).filter((p) => !newPlaces.includes(p)) : [];
  let carriedText = searchKey(previous);
  for (const p of swapped) {
    for (const form of p.chineseForms) if ([...form].length > 1) carriedText = carriedText.split(form).join(' ');
    carriedText = carriedText.replace(p.english, ' ');
  }
  const carried = [...contentTerms(carriedText)].filter((t) => !own.has(t) && !STOPWORDS.has(t));
  const focus = [...own, ...newPlaces.map((p) => p.id)];
  return { standalone: carried.length ? `${trimmed} ${carried.join(' ')}` : trimmed, focus, needsContext: false };
}
