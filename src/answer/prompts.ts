import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChatPromptTemplate } from '@langchain/core/prompts';

/** prompts/ at the repository root (two levels above src/answer/), overridable with LODESTONE_PROMPTS_DIR. */
export function promptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LODESTONE_PROMPTS_DIR) return resolve(env.LODESTONE_PROMPTS_DIR);
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'prompts');
}

export interface PromptTemplates {
  /** The system prompt (plain text, no variables). */
  system: string;
  /** Answer prompt: {passages}, {question}, {language}. */
  answer: ChatPromptTemplate;
  /** Follow-up condensing prompt: {history}, {question}, {language}. */
  condense: ChatPromptTemplate;
}

function readPrompt(dir: string, name: string): string {
  for (const ext of ['.md', '.txt']) {
    try {
      return readFileSync(join(dir, name + ext), 'utf8').trim();
    } catch {
      // try the next extension
    }
  }
  throw new Error(`Prompt template ${name}.md not found in ${dir}`);
}

/** Braces in the system prompt are literal text, not template variables. */
function literal(text: string): string {
  return text.replace(/[{}]/g, (b) => b + b);
}

/** Load the templates from prompts/ (read once per composer). */
export function loadPrompts(dir = promptsDir()): PromptTemplates {
  const system = readPrompt(dir, 'system');
  const answer = readPrompt(dir, 'answer');
  const condense = readPrompt(dir, 'condense');
  return {
    system,
    answer: ChatPromptTemplate.fromMessages([
      ['system', literal(system)],
      ['human', answer],
    ]),
    condense: ChatPromptTemplate.fromMessages([['human', condense]]),
  };
}
