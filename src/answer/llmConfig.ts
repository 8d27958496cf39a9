/**
 * LLM settings from the environment. Apart from llm.ts so that the service can decide whether an LLM is
 * configured without loading LangChain: llm.ts (and its chat-model packages) is imported only when one is.
 */
export interface LlmConfig {
  provider: 'openai' | 'ollama';
  model: string;
  baseUrl?: string;
  apiKey?: string;
  timeoutMs?: number;
  temperature?: number;
  /** Directory of the prompt templates (default: prompts/ at the repository root). */
  promptsDir?: string;
}

export const DEFAULT_LLM_TIMEOUT_MS = 30_000;

/** LLM settings from the environment; undefined when LLM_PROVIDER is unset or 'none' (extractive only). */
export function llmConfigFromEnv(env: NodeJS.ProcessEnv = process.env): LlmConfig | undefined {
  const provider = (env.LLM_PROVIDER ?? '').trim().toLowerCase();
  if (!provider || provider === 'none' || provider === 'extractive') return undefined;
  if (provider !== 'openai' && provider !== 'ollama') {
    throw new Error(`LLM_PROVIDER must be 'openai' or 'ollama' (got '${env.LLM_PROVIDER}')`);
  }
  const timeout = Number(env.LLM_TIMEOUT_MS);
  const temperature = env.LLM_TEMPERATURE === undefined ? undefined : Number(env.LLM_TEMPERATURE);
  return {
    provider,
    model: env.LLM_MODEL?.trim() || (provider === 'openai' ? 'gpt-4o-mini' : 'qwen2.5:7b'),
    baseUrl: env.LLM_BASE_URL?.trim() || undefined,
    apiKey: env.LLM_API_KEY?.trim() || env.OPENAI_API_KEY?.trim() || undefined,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_LLM_TIMEOUT_MS,
    temperature: temperature !== undefined && Number.isFinite(temperature) ? temperature : undefined,
  };
}
