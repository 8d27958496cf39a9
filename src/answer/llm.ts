import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import { RunnableLambda, RunnableSequence, type Runnable } from '@langchain/core/runnables';
import type { Passage } from '../core/passage.js';
import { contentTerms } from '../text/segment.js';
import { searchKey } from '../text/searchKey.js';
import type { AnswerPart, Citation, QuestionLang } from '../core/answer.js';
import { checkCitations } from './citationCheck.js';
import { answerText } from './plainText.js';
import { ANSWER_BODY_MAX_CHARS, composeExtractive, type ComposeInput, type ComposedAnswer } from './extractive.js';
import { languageName, phrasesFor } from './messages.js';
import { loadPrompts, type PromptTemplates } from './prompts.js';
import { parseQuestion } from './questionFrame.js';
import { splitSentences } from '../text/sentences.js';
import { DEFAULT_LLM_TIMEOUT_MS, type LlmConfig } from './llmConfig.js';

export { DEFAULT_LLM_TIMEOUT_MS, llmConfigFromEnv, type LlmConfig } from './llmConfig.js';

export interface ConversationTurn {
  question: string;
  answer?: string;
}

export type LlmComposeInput = ComposeInput & { history?: ConversationTurn[] };

export type FallbackReason = 'error' | 'timeout' | 'empty' | 'unsupported';

export interface LlmComposer {
  /** 'llm:<model>' */
  name: string;
  compose(input: LlmComposeInput): Promise<ComposedAnswer>;
  /** A standalone question from a follow-up and the conversation so far; the question itself on any failure. */
  condenseQuestion(history: ConversationTurn[], question: string, lang?: QuestionLang): Promise<string>;
}

/** Counters for logs and /help: how often the LLM answer was used, and why it was not. */
export const llmStats = {
  calls: 0,
  answered: 0,
  fallbacks: { error: 0, timeout: 0, empty: 0, unsupported: 0 } as Record<FallbackReason, number>,
  droppedSentences: 0,
  fabricatedCitations: 0,
};

const MAX_PROMPT_PASSAGES = 6;

/** The provider's chat model; its package is imported only here, when an LLM is configured. */
async function createChatModel(config: LlmConfig): Promise<BaseChatModel> {
  const temperature = config.temperature ?? 0;
  if (config.provider === 'ollama') {
    const { ChatOllama } = await import('@langchain/ollama');
    return new ChatOllama({ model: config.model, baseUrl: config.baseUrl, temperature, maxRetries: 0 });
  }
  const { ChatOpenAI } = await import('@langchain/openai');
  return new ChatOpenAI({
    model: config.model,
    temperature,
    // OpenAI-compatible servers (vLLM, llama.cpp, DeepSeek…) often need no key; the client insists on one.
    apiKey: config.apiKey ?? 'not-needed',
    timeout: config.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
    maxRetries: 0,
    configuration: config.baseUrl ? { baseURL: config.baseUrl } : undefined,
  });
}

/**
 * The model's reply as text, with a hard deadline through LangChain's RunnableConfig `timeout`: it becomes
 * an abort signal that stops the HTTP request, and the sequence stops waiting when it fires (a model that
 * ignores the signal included).
 */
function replyText(model: BaseChatModel): Runnable<BaseMessage[], string> {
  return RunnableSequence.from([model, RunnableLambda.from((reply: AIMessageChunk) => (typeof reply.content === 'string' ? reply.content : reply.text))]);
}

function isTimeout(error: unknown): boolean {
  const { name, message } = (error as Error) ?? {};
  return name === 'TimeoutError' || name === 'AbortError' || /timed? ?out/i.test(String(message));
}

/** Passage text as data: our delimiter sequences cannot appear inside it. */
function fence(text: string): string {
  return text.replace(/<<<|>>>/g, (m) => (m === '<<<' ? '‹‹‹' : '›››'));
}

function formatPassages(numbered: { n: number; passage: Passage; title: string }[]): string {
  return numbered
    .map(({ n, passage, title }) => `<<<PASSAGE ${n} | ${fence(passage.label)} | ${fence(title)}>>>\n${fence(passage.text)}\n<<<END PASSAGE ${n}>>>`)
    .join('\n\n');
}

/** The passages shown to the model: top results, plus footnotes of the top paragraphs for "where from" questions. */
function promptPassages(input: LlmComposeInput): Passage[] {
  const top = [...input.results].sort((a, b) => b.score - a.score).map((r) => r.passage);
  const chosen: Passage[] = [];
  for (const p of top) if (chosen.length < MAX_PROMPT_PASSAGES && !chosen.some((c) => c.id === p.id)) chosen.push(p);
  if ((input.frame ?? parseQuestion(input.question, { lang: input.lang })).asksProvenance) {
    for (const p of chosen.slice(0, 3)) {
      for (const id of p.footnotes ?? []) {
        const fn = input.passageById(id);
        if (fn && !chosen.some((c) => c.id === fn.id)) chosen.push(fn);
      }
    }
  }
  return chosen;
}

/** The passage sentence that best matches an answer sentence: the quoted span of the citation. */
function bestSpan(passage: Passage, answerSentences: string[]): string {
  const sentences = splitSentences(passage.text);
  if (sentences.length === 0) return passage.text;
  const terms = new Set(answerSentences.flatMap((s) => [...contentTerms(s)]));
  let best = sentences[0].text;
  let bestHits = -1;
  for (const s of sentences) {
    const key = searchKey(s.text);
    let hits = 0;
    for (const t of terms) if (key.includes(t)) hits++;
    if (hits > bestHits) {
      bestHits = hits;
      best = s.text;
    }
  }
  return best;
}

function clipBody(text: string): string {
  const chars = [...text];
  if (chars.length <= ANSWER_BODY_MAX_CHARS) return text;
  // cut at the last sentence end that fits
  const cut = chars.slice(0, ANSWER_BODY_MAX_CHARS).join('');
  const end = Math.max(cut.lastIndexOf('。'), cut.lastIndexOf('. '), cut.lastIndexOf('\n'), cut.lastIndexOf(']'));
  return end > 0 ? cut.slice(0, end + 1) : cut;
}

export function createLlmComposer(config: LlmConfig, options: { chatModel?: BaseChatModel; prompts?: PromptTemplates } = {}): LlmComposer {
  const prompts = options.prompts ?? loadPrompts(config.promptsDir);
  // created on first use: the provider's package loads only when a question reaches the LLM
  let chain: Promise<Runnable<BaseMessage[], string>> | undefined;
  const invoke = async (messages: BaseMessage[]): Promise<string> => {
    chain ??= (options.chatModel ? Promise.resolve(options.chatModel) : createChatModel(config)).then(replyText);
    return (await chain).invoke(messages, { timeout: timeoutMs });
  };
  const timeoutMs = config.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS;
  const name = `llm:${config.model}`;

  async function fallback(extractive: ComposedAnswer, lang: QuestionLang, reason: FallbackReason, detail: string): Promise<ComposedAnswer> {
    llmStats.fallbacks[reason]++;
    return { ...extractive, note: phrasesFor(lang).llmFallback(detail) };
  }

  async function compose(input: LlmComposeInput): Promise<ComposedAnswer> {
    llmStats.calls++;
    // The extractive answer is cheap, decides whether the corpus can answer at all, and is the fallback.
    const extractive = await composeExtractive(input);
    if (!extractive.supported) return extractive;
    const passages = promptPassages(input);
    const numbered = passages.map((passage, i) => ({ n: i + 1, passage, title: input.titleOf(passage.docId) }));
    let reply: string;
    try {
      const messages = await prompts.answer.formatMessages({
        passages: formatPassages(numbered),
        question: input.question,
        language: languageName(input.lang),
      });
      reply = (await invoke(messages)).trim();
    } catch (error) {
      if (isTimeout(error)) {
        return fallback(extractive, input.lang, 'timeout', `timeout after ${timeoutMs} ms`);
      }
      const message = String((error as Error)?.message ?? error).split('\n')[0].slice(0, 80);
      return fallback(extractive, input.lang, 'error', message || 'endpoint error');
    }
    if (!reply) return fallback(extractive, input.lang, 'empty', 'empty reply');

    const check = checkCitations(reply, new Map(numbered.map(({ n, passage }) => [n, passage.text])));
    llmStats.droppedSentences += check.dropped;
    llmStats.fabricatedCitations += check.fabricated;
    if (check.cited.length === 0) return fallback(extractive, input.lang, 'unsupported', 'no checked citation');

    // Renumber the cited passages 1..m in order of first use.
    const renumber = new Map(check.cited.map((n, i) => [n, i + 1]));
    const body = clipBody(check.text.replace(/\[(\d{1,3})\]/g, (m, n: string) => (renumber.has(Number(n)) ? `[${renumber.get(Number(n))}]` : m)));
    const citations: Citation[] = check.cited.map((n) => {
      const { passage, title } = numbered[n - 1];
      const sentences = check.sentences.filter((s) => s.supported && s.cites.includes(n)).map((s) => s.text);
      const score = input.results.find((r) => r.passage.id === passage.id)?.score ?? 0;
      return { n: renumber.get(n)!, id: passage.id, docId: passage.docId, title, label: passage.label, text: bestSpan(passage, sentences), score };
    });
    const phrases = phrasesFor(input.lang);
    const [lead, ...rest] = body.split('\n').filter((line) => line.trim());
    const parts: AnswerPart[] = rest.map((line) => ({ kind: 'prose', text: line }));
    llmStats.answered++;
    return {
      question: input.question,
      lead: lead ?? '',
      parts,
      text: answerText(lead ?? '', parts, citations, input.lang),
      citations,
      supported: true,
      lang: input.lang,
      related: [],
      composer: name,
      ...(check.dropped > 0 ? { note: phrases.llmDropped(check.dropped) } : {}),
    };
  }

  async function condense(history: ConversationTurn[], question: string, lang?: QuestionLang): Promise<string> {
    if (history.length === 0) return question;
    try {
      const messages = await prompts.condense.formatMessages({
        history: history
          .slice(-4)
          .map((t) => `Q: ${fence(t.question)}${t.answer ? `\nA: ${fence(t.answer.slice(0, 400))}` : ''}`)
          .join('\n'),
        question,
        language: languageName(lang ?? 'zh-Hans'),
      });
      const reply = (await invoke(messages)).trim().split('\n')[0].trim();
      return reply && reply.length <= 2000 ? reply : question;
    } catch {
      return question;
    }
  }

  return { name, compose, condenseQuestion: condense };
}
