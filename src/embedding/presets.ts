import { ConfigError } from '../core/errors.js';
/** How each supported model is called: prefixes, pooling and limits travel with the model id. */
export type Pooling = 'mean' | 'cls';

export interface EmbeddingPreset {
  /** Preset name as written in EMBEDDING_MODEL. */
  name: string;
  /** Hugging Face hub id (or `corpus` for the model Lodestone trains itself). */
  hubId: string;
  dimensions: number;
  pooling: Pooling;
  /** Prepended to every query; some models are trained to need it. */
  queryPrefix: string;
  /** Prepended to every passage. */
  passagePrefix: string;
  /** The tokenizer truncates longer inputs. */
  maxTokens: number;
  /** Load the int8 `model_quantized.onnx` (hub default) rather than `model.onnx`. */
  quantized: boolean;
  /** Texts per pipeline call while ingesting. */
  batchSize: number;
}

export const CORPUS_PRESET_NAME = 'corpus';
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/multilingual-e5-small';

export const EMBEDDING_PRESETS: Record<string, EmbeddingPreset> = {
  'Xenova/multilingual-e5-small': {
    name: 'Xenova/multilingual-e5-small',
    hubId: 'Xenova/multilingual-e5-small',
    dimensions: 384,
    pooling: 'mean',
    // The E5 authors call the prefixes required: without them quality drops.
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    maxTokens: 512,
    quantized: true,
    batchSize: 16,
  },
  'Xenova/bge-small-zh-v1.5': {
    name: 'Xenova/bge-small-zh-v1.5',
    hubId: 'Xenova/bge-small-zh-v1.5',
    dimensions: 512,
    pooling: 'cls',
    // BGE's retrieval instruction is for short queries only; passages go in bare.
    queryPrefix: '为这个句子生成表示以用于检索相关文章：',
    passagePrefix: '',
    maxTokens: 512,
    quantized: true,
    batchSize: 16,
  },
  'Xenova/paraphrase-multilingual-MiniLM-L12-v2': {
    name: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
    hubId: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
    dimensions: 384,
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    maxTokens: 128,
    quantized: true,
    batchSize: 16,
  },
  [CORPUS_PRESET_NAME]: {
    name: CORPUS_PRESET_NAME,
    hubId: CORPUS_PRESET_NAME,
    // Actual dimensions are read from the trained model's config.json.
    dimensions: 256,
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    maxTokens: 512,
    quantized: false,
    batchSize: 16,
  },
};

/** Short names people type, mapped to full preset names. */
const ALIASES: Record<string, string> = {
  'multilingual-e5-small': 'Xenova/multilingual-e5-small',
  'e5-small': 'Xenova/multilingual-e5-small',
  'bge-small-zh-v1.5': 'Xenova/bge-small-zh-v1.5',
  'bge-small-zh': 'Xenova/bge-small-zh-v1.5',
  'paraphrase-multilingual-MiniLM-L12-v2': 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
  'minilm': 'Xenova/paraphrase-multilingual-MiniLM-L12-v2',
};

/**
 * Preset for a model name (case-insensitive, short aliases allowed). Unknown names throw with the list of
 * choices, so a typo in EMBEDDING_MODEL is a clear error rather than a silent download attempt.
 */
export function resolvePreset(name: string): EmbeddingPreset {
  const wanted = name.trim();
  const lower = wanted.toLowerCase();
  if (lower === '' ) return EMBEDDING_PRESETS[DEFAULT_EMBEDDING_MODEL];
  if (lower === CORPUS_PRESET_NAME || lower.startsWith(`${CORPUS_PRESET_NAME}:`)) return EMBEDDING_PRESETS[CORPUS_PRESET_NAME];
  for (const key of Object.keys(EMBEDDING_PRESETS)) if (key.toLowerCase() === lower) return EMBEDDING_PRESETS[key];
  for (const [alias, key] of Object.entries(ALIASES)) if (alias.toLowerCase() === lower) return EMBEDDING_PRESETS[key];
  const choices = Object.keys(EMBEDDING_PRESETS).join(', ');
  throw new ConfigError(`unknown embedding model "${name}"; choose one of: ${choices}`);
}
