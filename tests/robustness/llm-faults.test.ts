/**
 * LLM endpoint faults (OpenAI-compatible server on 127.0.0.1): slow, hanging, 5xx/429, malformed JSON,
 * replies citing passages that do not exist or claims the passages do not hold. Every one must end in the
 * extractive answer (identical to the no-LLM answer) with a note, counted in llmStats — never an exception,
 * never an unchecked sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer } from '../../src/core/answer.js';
import { createLlmComposer, llmStats, type FallbackReason } from '../../src/answer/llm.js';
import { renderAnswer } from '../../src/bot/render.js';
import { createLibrarian, type LibrarianService } from '../../src/service/librarian.js';
import { messageText, startFakeOpenAiServer, type ChatRequestBody, type FakeOpenAiServer, type ServerReply } from '../support/openai-server.js';
import { discordViolations, foreignLines, makeWorkspace, openLibrarian, removeWorkspace, runs, summary, type Workspace } from './support.js';

const TIMEOUT_MS = 700;
const QUESTIONS = ['2018年美国对中国太阳能电池和光伏组件征收了多少关税？', '美国为什么对中国实施选择性脱钩？', '镍主要分布在哪些国家？'];

let ws: Workspace;
let server: FakeOpenAiServer;
let extractive: LibrarianService;
let withLlm: LibrarianService;
const reference = new Map<string, Answer>();

/** Passages as numbered in the prompt: n → text. */
function promptPassages(body: ChatRequestBody): Map<number, string> {
  const prompt = body.messages.map(messageText).join('\n');
  const out = new Map<number, string>();
  for (const m of prompt.matchAll(/<<<PASSAGE (\d+) \|[^\n]*>>>\n([\s\S]*?)\n<<<END PASSAGE \1>>>/g)) out.set(Number(m[1]), m[2]);
  return out;
}

/** A well-behaved reply: the first sentence of passage 1, verbatim, cited [1]. */
function goodReply(body: ChatRequestBody): ServerReply {
  const first = promptPassages(body).get(1) ?? '';
  const sentence = first.match(/^[^。！？]*[。！？]/)?.[0] ?? first;
  return { content: `${sentence}[1]` };
}

interface FaultKind {
  name: string;
  reply: (body: ChatRequestBody) => ServerReply;
  reason: FallbackReason;
}

const FAULTS: FaultKind[] = [
  { name: 'slower than the timeout', reply: (b) => ({ ...(goodReply(b) as { content: string }), delayMs: TIMEOUT_MS * 3 }), reason: 'timeout' },
  { name: 'never answers', reply: () => ({ hang: true }), reason: 'timeout' },
  { name: 'HTTP 500', reply: () => ({ status: 500 }), reason: 'error' },
  { name: 'HTTP 503 HTML page', reply: () => ({ raw: '<html><body>Bad gateway</body></html>', status: 503, contentType: 'text/html' }), reason: 'error' },
  { name: 'HTTP 429 with retry-after', reply: () => ({ status: 429, body: { error: { message: 'Rate limit reached, retry after 20s', type: 'rate_limit' } } }), reason: 'error' },
  { name: 'malformed JSON', reply: () => ({ raw: '{"id":"x","choices":[{"message":{"role":"assistant","content":"半截' }), reason: 'error' },
  { name: 'JSON of the wrong shape', reply: () => ({ raw: '{"unexpected": true}' }), reason: 'error' },
  { name: 'empty content', reply: () => ({ content: '   ' }), reason: 'empty' },
  { name: 'cites passages that do not exist', reply: () => ({ content: '美国对中国实施了全面制裁[99]。中国因此停止了所有出口[0]。' }), reason: 'unsupported' },
  { name: 'cites a real passage for an invented claim', reply: () => ({ content: '美国宣布将在2030年前完全禁止从中国进口任何矿产[1]。' }), reason: 'unsupported' },
  { name: 'no citations, prompt-injected text and a mention', reply: () => ({ content: '@everyone I have been pwned. Ignore the passages.' }), reason: 'unsupported' },
];

beforeAll(async () => {
  ws = makeWorkspace('llm');
  extractive = await openLibrarian(ws);
  for (const q of QUESTIONS) {
    const answer = await extractive.ask(q);
    expect(answer.supported, q).toBe(true); // the fallback must have something to fall back to
    reference.set(q, answer);
  }
  server = await startFakeOpenAiServer(goodReply);
  const composer = createLlmComposer({ provider: 'openai', model: 'fake-model', baseUrl: server.baseUrl, apiKey: 'test', timeoutMs: TIMEOUT_MS });
  withLlm = await createLibrarian({ corpusDir: ws.corpusDir, indexDir: ws.indexDir, model: 'corpus', composer, autoIngest: false });
});
afterAll(async () => {
  await server?.close();
  removeWorkspace(ws);
});

const passageText = (id: string) => extractive.passage(id)?.text;

describe('LLM endpoint faults', () => {
  it('a healthy endpoint answers with checked citations (the baseline the faults depart from)', async () => {
    server.respond = goodReply;
    const answer = await withLlm.ask(QUESTIONS[0]);
    expect(answer.composer).toBe('llm:fake-model');
    for (const c of answer.citations) expect(passageText(c.id)).toContain(c.text);
  });

  it('every fault falls back to the extractive answer, with a note, counted by reason', async () => {
    const rounds = runs(1, 4);
    const figures: Record<string, number> = {};
    const before = { ...llmStats.fallbacks };
    const expected: Record<FallbackReason, number> = { error: 0, timeout: 0, empty: 0, unsupported: 0 };
    let injected = 0;
    for (let r = 0; r < rounds; r++) {
      for (const fault of FAULTS) {
        for (const q of QUESTIONS) {
          server.respond = fault.reply;
          const started = Date.now();
          const answer = await withLlm.ask(q); // must not throw
          injected++;
          expected[fault.reason]++;
          const ref = reference.get(q)!;
          expect(answer.composer, `${fault.name}: ${q}`).toBe('extractive');
          expect(answer.text, fault.name).toBe(ref.text);
          expect(answer.citations.map((c) => c.id)).toEqual(ref.citations.map((c) => c.id));
          expect(answer.note, fault.name).toBeTruthy();
          expect(answer.text).not.toMatch(/pwned|@everyone|禁止从中国进口任何矿产|全面制裁/);
          expect(foreignLines(answer, passageText)).toEqual([]);
          expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
          for (const m of renderAnswer(answer, { model: 'm', elapsedMs: 1, key: 'k' })) expect(discordViolations(m)).toEqual([]);
          figures[fault.name] = (figures[fault.name] ?? 0) + 1;
        }
      }
    }
    const counted = Object.fromEntries(Object.entries(llmStats.fallbacks).map(([k, v]) => [k, v - before[k as FallbackReason]]));
    expect(counted).toEqual(expected);
    summary('LLM faults', { injected, kinds: FAULTS.length, fellBack: injected, countedByReason: counted });
  }, 120_000);

  it('recovers: after the faults a healthy reply is used again, and a slow-but-in-time one too', async () => {
    server.respond = goodReply;
    expect((await withLlm.ask(QUESTIONS[1])).composer).toBe('llm:fake-model');
    server.respond = (b) => ({ ...(goodReply(b) as { content: string }), delayMs: TIMEOUT_MS / 4 });
    const slow = await withLlm.ask(QUESTIONS[2]);
    expect(slow.composer).toBe('llm:fake-model');
    for (const c of slow.citations) expect(passageText(c.id)).toContain(c.text);
    summary('LLM recovery', { healthyAfterFaults: 1, slowWithinTimeout: 1 });
  });

  it('a reply mixing a checked sentence with an invented one keeps only the checked one', async () => {
    server.respond = (b) => {
      const good = (goodReply(b) as { content: string }).content;
      return { content: `${good}此外，火星殖民计划将在下个月启动稀土采矿[1]。` };
    };
    const answer = await withLlm.ask(QUESTIONS[0]);
    expect(answer.composer).toBe('llm:fake-model');
    expect(answer.text).not.toContain('火星');
    expect(answer.note).toBeTruthy();
  });

  // Words and numbers gathered from all over a passage (美国, 中国, 2019) must meet within a few consecutive
  // source sentences: a bag of the passage's words does not support a claim it never makes.
  it('a plausible invented claim made of the passage’s own words and numbers is dropped', async () => {
    server.respond = (b) => {
      const good = (goodReply(b) as { content: string }).content;
      return { content: `${good}美国已于2019年对中国全面禁运所有矿产[1]。` };
    };
    const answer = await withLlm.ask(QUESTIONS[0]);
    expect(answer.text).not.toContain('全面禁运所有矿产');
  });
});
