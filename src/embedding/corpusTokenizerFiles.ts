/**
 * The JSON files that make a trained static model loadable by transformers.js: a BERT WordPiece
 * tokenizer (whole-token vocabulary, CJK chars split by the normaliser) and a BERT-style config.
 */

export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'] as const;

export function tokenizerJson(vocab: string[]): object {
  const vocabMap: Record<string, number> = {};
  vocab.forEach((token, id) => (vocabMap[token] = id));
  const special = (content: string) => ({
    id: vocabMap[content], content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
  });
  const specialRef = (token: string) => ({ id: token, ids: [vocabMap[token]], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map(special),
    // NFKC first: full-width digits and letters (２０２２, ％) must meet their ASCII forms in the vocabulary.
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'NFKC' },
        { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
      ],
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': specialRef('[CLS]'), '[SEP]': specialRef('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: vocabMap,
    },
  };
}

export function tokenizerConfigJson(maxTokens: number): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    tokenize_chinese_chars: true,
    strip_accents: null,
    model_max_length: maxTokens,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[UNK]',
  };
}

export function configJson(vocabSize: number, dimensions: number, maxTokens: number, fingerprint: string): object {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: dimensions,
    vocab_size: vocabSize,
    max_position_embeddings: maxTokens,
    pad_token_id: 0,
    lodestone: { kind: 'static-corpus-embedding', fingerprint },
  };
}
