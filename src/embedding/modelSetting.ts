import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { resolvePathSetting } from '../core/paths.js';
import { CORPUS_PRESET_NAME, DEFAULT_EMBEDDING_MODEL, EMBEDDING_PRESETS, type EmbeddingPreset, resolvePreset } from './presets.js';

/**
 * What an EMBEDDING_MODEL setting asks for, whatever its spelling: unset, `Xenova/multilingual-e5-small`
 * and `e5-small` are one request, so changing between them never re-ingests.
 */
export type ModelRequest =
  | { kind: 'hub'; preset: EmbeddingPreset }
  /** A model directory in the transformers.js layout (config.json, tokenizer.json, onnx/model*.onnx), absolute. */
  | { kind: 'dir'; dir: string }
  /** The offline model ingest trains from the corpus and keeps inside the index. */
  | { kind: 'corpus' };

/** A path, not a preset name: starts with `/`, `./`, `../`, `~` or a drive letter. */
function looksLikePath(setting: string): boolean {
  return /^(\/|\.{1,2}([/\\]|$)|~([/\\]|$)|[A-Za-z]:[/\\])/.test(setting) || path.isAbsolute(setting);
}

/** Resolves EMBEDDING_MODEL. Unknown names that are not an existing directory throw a ConfigError naming the choices. */
export function resolveModelSetting(setting: string | undefined): ModelRequest {
  const value = (setting ?? '').trim();
  if (value === '') return { kind: 'hub', preset: EMBEDDING_PRESETS[DEFAULT_EMBEDDING_MODEL] };
  if (looksLikePath(value)) return { kind: 'dir', dir: resolvePathSetting(value) };
  try {
    const preset = resolvePreset(value);
    return preset.name === CORPUS_PRESET_NAME ? { kind: 'corpus' } : { kind: 'hub', preset };
  } catch (error) {
    // `models/e5` (a relative folder that exists) is a directory too
    if (existsSync(path.resolve(value))) return { kind: 'dir', dir: path.resolve(value) };
    if (error instanceof ConfigError) {
      throw new ConfigError(`${error.message}, or the path of a local model directory (config.json, tokenizer.json, onnx/model.onnx)`);
    }
    throw error;
  }
}

/** The request as the index records and compares it: a hub id, `corpus`, or `dir:<absolute path>`. */
export function modelRequestKey(request: ModelRequest): string {
  if (request.kind === 'hub') return request.preset.hubId;
  if (request.kind === 'dir') return `dir:${request.dir}`;
  return CORPUS_PRESET_NAME;
}

/** The request key of a setting, or undefined when the setting no longer resolves (an old index's typo). */
export function settingKey(setting: string | undefined): string | undefined {
  try {
    return modelRequestKey(resolveModelSetting(setting));
  } catch {
    return undefined;
  }
}
