import { ConfigError } from '../core/errors.js';

/**
 * LLM settings that cannot work, caught before the first question instead of surfacing as the endpoint's
 * "Connection error." inside an answer. Reads the variables src/answer/llmConfig.ts reads: LLM_PROVIDER,
 * LLM_MODEL, LLM_BASE_URL, LLM_API_KEY (or OPENAI_API_KEY).
 */
export function checkLlmSettings(env: NodeJS.ProcessEnv = process.env): void {
  const provider = (env.LLM_PROVIDER ?? '').trim().toLowerCase();
  if (!provider || provider === 'none' || provider === 'extractive') return;
  if (provider !== 'openai' && provider !== 'ollama') {
    throw new ConfigError(`LLM_PROVIDER is "${env.LLM_PROVIDER}": use openai (any OpenAI-compatible endpoint) or ollama, or leave it empty for extractive answers`);
  }
  const set = (name: string) => Boolean(env[name]?.trim());
  const baseUrl = env.LLM_BASE_URL?.trim();
  if (baseUrl) {
    try {
      const url = new URL(baseUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(url.protocol);
    } catch {
      throw new ConfigError(`LLM_BASE_URL "${baseUrl}" is not an http(s) URL (e.g. https://api.deepseek.com/v1 or http://127.0.0.1:11434)`);
    }
  }
  if (provider === 'openai') {
    if (!baseUrl && !set('LLM_API_KEY') && !set('OPENAI_API_KEY')) {
      throw new ConfigError(
        'LLM_PROVIDER=openai needs LLM_API_KEY (or OPENAI_API_KEY) for api.openai.com, or LLM_BASE_URL and LLM_MODEL for another OpenAI-compatible endpoint; unset LLM_PROVIDER for extractive answers',
      );
    }
    if (baseUrl && !set('LLM_MODEL')) {
      throw new ConfigError(`LLM_BASE_URL is ${baseUrl} but LLM_MODEL is not set: name the model served there (e.g. deepseek-chat, qwen2.5-7b-instruct)`);
    }
  }
}
