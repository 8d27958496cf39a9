/**
 * A tiny OpenAI-compatible chat-completions server on 127.0.0.1 for tests (no network beyond loopback).
 * Each request is answered by `respond`, which may return a reply text, an HTTP error, or hang.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string | { type: string; text?: string }[] }[];
  [key: string]: unknown;
}

export type ServerReply =
  | { content: string; delayMs?: number }
  | { status: number; body?: unknown }
  | { hang: true }
  /** A raw response body as is (e.g. malformed JSON), with an optional status and content type. */
  | { raw: string; status?: number; contentType?: string };

export interface FakeOpenAiServer {
  /** Base URL to pass as LLM_BASE_URL / configuration.baseURL, e.g. http://127.0.0.1:12345/v1 */
  baseUrl: string;
  requests: ChatRequestBody[];
  /** Replace the responder between tests. */
  respond: (body: ChatRequestBody) => ServerReply;
  close(): Promise<void>;
}

export function messageText(message: ChatRequestBody['messages'][number]): string {
  return typeof message.content === 'string' ? message.content : message.content.map((p) => p.text ?? '').join('');
}

export async function startFakeOpenAiServer(respond: (body: ChatRequestBody) => ServerReply): Promise<FakeOpenAiServer> {
  const sockets = new Set<import('node:net').Socket>();
  const state: FakeOpenAiServer = {
    baseUrl: '',
    requests: [],
    respond,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
    state.requests.push(body);
    const reply = state.respond(body);
    if ('hang' in reply) return; // never answer: the client must time out
    if ('raw' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/json' });
      res.end(reply.raw);
      return;
    }
    if ('status' in reply) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? { error: { message: `fake server error ${reply.status}`, type: 'server_error' } }));
      return;
    }
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${state.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}
