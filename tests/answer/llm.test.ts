import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLlmComposer, llmConfigFromEnv, llmStats, type LlmComposeInput } from '../../src/answer/llm.js';
import { promptsDir } from '../../src/answer/prompts.js';
import { loadFixtureCorpus, type FixtureCorpus } from './corpus-fixture.js';
import { messageText, startFakeOpenAiServer, type ChatRequestBody, type FakeOpenAiServer } from '../support/openai-server.js';

let corpus: FixtureCorpus;
let server: FakeOpenAiServer;

const QUESTION = '2018年美国对中国太阳能电池和光伏组件征收了多少关税？';

beforeAll(async () => {
  corpus = loadFixtureCorpus();
  server = await startFakeOpenAiServer(() => ({ content: '' }));
});
afterAll(async () => {
  await server.close();
});

function input(question = QUESTION): LlmComposeInput {
  return {
    question,
    lang: 'zh-Hans',
    results: corpus.search(question, 8),
    passageById: (id) => corpus.byId.get(id),
    titleOf: (docId) => corpus.titles.get(docId) ?? docId,
  };
}

/** The [n] the prompt gave to the passage containing `needle`. */
function passageNumber(body: ChatRequestBody, needle: string): number {
  const prompt = body.messages.map(messageText).join('\n');
  for (const m of prompt.matchAll(/<<<PASSAGE (\d+) \|[^\n]*>>>\n([\s\S]*?)\n<<<END PASSAGE \1>>>/g)) {
    if (m[2].includes(needle)) return Number(m[1]);
  }
  throw new Error(`no passage with ${needle} in the prompt`);
}

function composer(timeoutMs = 2000, dir?: string) {
  return createLlmComposer({ provider: 'openai', model: 'fake-model', baseUrl: server.baseUrl, apiKey: 'test', timeoutMs, promptsDir: dir });
}

describe('LLM composer against an OpenAI-compatible server on 127.0.0.1', () => {
  it('removes a fabricated [7] and an unsupported sentence, keeps the checked one, and reports the drops', async () => {
    server.respond = (body) => {
      const n = passageNumber(body, '30% 关税');
      return { content: `2018年，美国对中国太阳能电池和光伏组件征收 30% 关税[${n}]。美国同时对中国稀土实施了全面禁运[${n}]。光伏产品另被征收了45%的反倾销税[7]。` };
    };
    const before = llmStats.fabricatedCitations;
    const answer = await composer().compose(input());
    expect(answer.composer).toBe('llm:fake-model');
    expect(answer.supported).toBe(true);
    expect(answer.text).toContain('30% 关税[1]');
    expect(answer.text).not.toContain('稀土');
    expect(answer.text).not.toContain('[7]');
    expect(answer.text).not.toContain('45%');
    expect(answer.note).toMatch(/2/);
    expect(answer.citations).toHaveLength(1);
    const passage = corpus.byId.get(answer.citations[0].id)!;
    expect(passage.text).toContain(answer.citations[0].text);
    expect(passage.text).toContain('30% 关税');
    expect(llmStats.fabricatedCitations).toBe(before + 1);
  });

  it.each([
    ['an HTTP 500', () => ({ status: 500 }), 2000],
    ['a timeout', () => ({ hang: true as const }), 300],
    ['an empty reply', () => ({ content: '   ' }), 2000],
    ['a reply without any checked citation', () => ({ content: '光伏产品被征收了99%的关税[1]。' }), 2000],
  ])('falls back to the extractive answer on %s, with a note', async (_name, respond, timeoutMs) => {
    server.respond = respond;
    const answer = await composer(timeoutMs).compose(input());
    expect(answer.composer).toBe('extractive');
    expect(answer.supported).toBe(true);
    expect(answer.text).toContain('30%');
    expect(answer.note).toBeTruthy();
  });

  it('does not call the model when the corpus cannot answer', async () => {
    const count = server.requests.length;
    const answer = await composer().compose(input('火星上的锂矿储量有多少？'));
    expect(answer.supported).toBe(false);
    expect(server.requests.length).toBe(count);
  });

  it('reads its prompts from prompts/: system prompt verbatim, passages fenced as data', async () => {
    server.respond = () => ({ content: '' });
    await composer().compose(input());
    const body = server.requests[server.requests.length - 1];
    expect(body.messages[0].role).toBe('system');
    expect(messageText(body.messages[0])).toBe(readFileSync(join(promptsDir(), 'system.md'), 'utf8').trim());
    const human = messageText(body.messages[1]);
    expect(human).toContain(QUESTION);
    expect(human).toMatch(/<<<PASSAGE 1 \|/);
    expect(human).toContain('Simplified Chinese');

    const dir = mkdtempSync(join(tmpdir(), 'lodestone-prompts-'));
    writeFileSync(join(dir, 'system.md'), 'SYSTEM-MARKER {not a variable}');
    writeFileSync(join(dir, 'answer.md'), 'ANSWER-MARKER {question}\n{passages}\n{language}');
    writeFileSync(join(dir, 'condense.md'), '{history} {question} {language}');
    await composer(2000, dir).compose(input());
    const custom = server.requests[server.requests.length - 1];
    expect(messageText(custom.messages[0])).toBe('SYSTEM-MARKER {not a variable}');
    expect(messageText(custom.messages[1])).toContain(`ANSWER-MARKER ${QUESTION}`);
  });

  it('condenses a follow-up with the conversation, and keeps the question on failure', async () => {
    server.respond = () => ({ content: '美国对中国光伏组件加征关税的依据是什么调查？' });
    const history = [{ question: QUESTION, answer: '30% 关税' }];
    expect(await composer().condenseQuestion(history, '依据是什么调查？')).toBe('美国对中国光伏组件加征关税的依据是什么调查？');
    expect(messageText(server.requests[server.requests.length - 1].messages[0])).toContain(QUESTION);
    server.respond = () => ({ status: 500 });
    expect(await composer().condenseQuestion(history, '依据是什么调查？')).toBe('依据是什么调查？');
  });
});

describe('llmConfigFromEnv', () => {
  it('reads LLM_* variables, is off by default, and rejects unknown providers', () => {
    expect(llmConfigFromEnv({})).toBeUndefined();
    expect(
      llmConfigFromEnv({ LLM_PROVIDER: 'openai', LLM_MODEL: 'deepseek-chat', LLM_BASE_URL: 'http://127.0.0.1:8000/v1', OPENAI_API_KEY: 'k', LLM_TIMEOUT_MS: '5000' }),
    ).toMatchObject({ provider: 'openai', model: 'deepseek-chat', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'k', timeoutMs: 5000 });
    expect(llmConfigFromEnv({ LLM_PROVIDER: 'ollama' })?.provider).toBe('ollama');
    expect(() => llmConfigFromEnv({ LLM_PROVIDER: 'gpt' })).toThrow(/LLM_PROVIDER/);
  });
});
