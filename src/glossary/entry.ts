export interface GlossaryCitation {
  /** Passage id. */
  id: string;
  label: string;
  /** The sentence quoted from the passage. */
  text: string;
}

export interface GlossaryEntry {
  /** Canonical form, as the corpus writes it (simplified for the paper). */
  term: string;
  /** Other names: simplified, traditional, English, abbreviation. */
  aliases: string[];
  /** A short definition quoted from the corpus (or from the curated file). */
  definition: string;
  /** Citation of the definition first, then the passages where the term matters most. */
  citations: GlossaryCitation[];
  /** Mentions per passage id, most first. */
  counts: { id: string; count: number }[];
  /** 'curated' | 'extracted'. */
  origin: 'curated' | 'extracted';
}
