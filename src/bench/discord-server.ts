/**
 * A Discord-compatible server on 127.0.0.1 for driving the real discord.js client in tests and in
 * `lodestone bench` (it needs `ws`, a devDependency; it never imports discord.js itself):
 * the REST routes the bot uses and a JSON (uncompressed) gateway WebSocket.
 * Every REST call is recorded so tests can assert on, and print, what the bot sent.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RecordedCall {
  method: string;
  /** Route without the `/api/v10` prefix, e.g. `/interactions/123/tok/callback`. */
  path: string;
  query: Record<string, string>;
  body: any;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
  /** HTTP status the server answered with (set once answered). */
  status?: number;
}

/**
 * A scripted REST fault (robustness tests): the next `times` calls matching `match` are delayed by `delayMs`
 * and, when `status` is set, answered with it (plus `headers`, e.g. retry-after, and `json`) instead of the route.
 */
export interface RestFault {
  match: (call: RecordedCall) => boolean;
  times: number;
  status?: number;
  json?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Calls this fault has answered so far. */
  hits: number;
}

export interface FakeUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot?: boolean;
}

let snowflakeCounter = 0n;
/** Unique, plausible snowflakes (18–19 digits, increasing). */
export function snowflake(): string {
  snowflakeCounter += 1n;
  return String((BigInt(Date.now() - 1420070400000) << 22n) + snowflakeCounter);
}

/** The shard Discord sends a guild's events to: (guild_id >> 22) % shard count. */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A unique snowflake for a guild whose events go to `shard` of `count`. */
export function guildIdOnShard(shard: number, count: number): string {
  snowflakeCounter += 1n;
  let ms = BigInt(Date.now() - 1420070400000);
  ms += BigInt((((shard - Number(ms % BigInt(count))) % count) + count) % count);
  return String((ms << 22n) + snowflakeCounter);
}

export interface DiscordServerOptions {
  applicationId?: string;
  guildId?: string;
  channelId?: string;
  forumChannelId?: string;
  /** Gateway heartbeat interval announced in HELLO. */
  heartbeatMs?: number;
  /** GET /gateway/bot: the recommended shard count (SHARD_COUNT=auto) and how many shards may identify at once. */
  recommendedShards?: number;
  maxConcurrency?: number;
}

export class FakeDiscordServer extends EventEmitter {
  readonly calls: RecordedCall[] = [];
  readonly identifies: any[] = [];
  readonly resumes: any[] = [];
  readonly applicationId: string;
  readonly guildId: string;
  readonly channelId: string;
  /** A forum channel (type 15) in the guild. */
  readonly forumChannelId: string;
  readonly botUser: FakeUser;
  /** Files served from loopback at `/attachments/:id/:filename` (what the CDN serves for message attachments). */
  readonly attachments = new Map<string, { body: Buffer; contentType: string }>();
  /** Messages by channel id, newest last. */
  readonly messages = new Map<string, any[]>();
  /** The bot's own reactions by `channelId/messageId`, in the order added (PUT/DELETE …/reactions/:emoji/@me). */
  readonly reactions = new Map<string, string[]>();
  /** Thread channels created through the REST API, by id. */
  readonly threads = new Map<string, any>();
  /** More guilds (addGuild), each with one text channel: guild id → channel id. */
  readonly otherGuilds = new Map<string, string>();
  /** Each dispatch and the shard ids of the sockets it went to (a socket that identified without `shard` is null). */
  readonly deliveries: { t: string; guildId?: string; shards: (number | null)[] }[] = [];
  /** The `[id, count]` each open gateway socket identified (or resumed) with. */
  private readonly shardOf = new Map<WebSocket, [number, number]>();
  private readonly sessionShards = new Map<string, [number, number]>();
  private http!: Server;
  private wss!: WebSocketServer;
  private sockets = new Set<WebSocket>();
  private seq = 0;
  private readonly heartbeatMs: number;
  private readonly gatewayInfo: { shards: number; maxConcurrency: number };
  private readonly restFaults: RestFault[] = [];
  port = 0;

  constructor(options: DiscordServerOptions = {}) {
    super();
    this.setMaxListeners(200);
    this.applicationId = options.applicationId ?? snowflake();
    this.guildId = options.guildId ?? snowflake();
    this.channelId = options.channelId ?? snowflake();
    this.forumChannelId = options.forumChannelId ?? snowflake();
    this.heartbeatMs = options.heartbeatMs ?? 41_250;
    this.gatewayInfo = { shards: options.recommendedShards ?? 1, maxConcurrency: options.maxConcurrency ?? 1 };
    this.botUser = { id: this.applicationId, username: 'Lodestone', discriminator: '0', global_name: 'Lodestone', avatar: null, bot: true };
  }

  /** REST base URL to give discord.js as `rest.api` (it appends `/v10/...`). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.http = createServer((req, res) => void this.onRequest(req, res));
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket) => this.onConnection(socket));
    await new Promise<void>((resolve) => this.http.listen(0, '127.0.0.1', resolve));
    this.port = (this.http.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections?.();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  // ---------- recorded calls ----------

  callsSince(index: number): RecordedCall[] {
    return this.calls.slice(index);
  }

  /** Resolves with the first recorded call (from `since`) matching `match`, waiting for it if needed. */
  waitForCall(match: (call: RecordedCall) => boolean, options: { since?: number; timeoutMs?: number } = {}): Promise<RecordedCall> {
    const since = options.since ?? 0;
    const found = this.calls.slice(since).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('call', onCall);
        reject(new Error(`timed out waiting for a REST call; recorded: ${this.calls.slice(since).map((c) => `${c.method} ${c.path}`).join(', ')}`));
      }, options.timeoutMs ?? 20_000);
      const onCall = (call: RecordedCall) => {
        if (!match(call)) return;
        clearTimeout(timer);
        this.off('call', onCall);
        resolve(call);
      };
      this.on('call', onCall);
    });
  }

  /** Waits for the next IDENTIFY or RESUME after `count` sessions had been seen. */
  waitForSession(count: number, timeoutMs = 20_000): Promise<void> {
    if (this.identifies.length + this.resumes.length > count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for IDENTIFY/RESUME')), timeoutMs);
      const onSession = () => {
        if (this.identifies.length + this.resumes.length <= count) return;
        clearTimeout(timer);
        this.off('session', onSession);
        resolve();
      };
      this.on('session', onSession);
    });
  }

  /** Test hook: scripts a REST fault (see RestFault); returns it so a test can read `hits` or set `times = 0`. */
  injectRestFault(fault: Omit<RestFault, 'hits'>): RestFault {
    const added: RestFault = { ...fault, hits: 0 };
    this.restFaults.push(added);
    return added;
  }

  /** Drops recorded calls and stored messages (long load tests: the server's records are not the bot's memory). */
  forgetRecords(): void {
    this.calls.length = 0;
    this.messages.clear();
    this.webhookMessages.clear();
  }

  // ---------- gateway ----------

  /**
   * Sends a dispatch (op 0) as Discord does: a guild's events only to the socket of its shard
   * ((guild_id >> 22) % count), others (DMs) to shard 0; sockets that identified without `shard` get everything.
   */
  dispatch(t: string, d: any): void {
    this.seq += 1;
    const payload = JSON.stringify({ op: 0, t, s: this.seq, d });
    const guildId: string | undefined = d?.guild_id ?? (t.startsWith('GUILD_') ? d?.id : undefined);
    const shards: (number | null)[] = [];
    for (const s of this.sockets) {
      if (s.readyState !== s.OPEN) continue;
      const shard = this.shardOf.get(s);
      if (shard && shard[0] !== (guildId ? shardOfGuild(guildId, shard[1]) : 0)) continue;
      s.send(payload);
      shards.push(shard ? shard[0] : null);
    }
    this.deliveries.push({ t, guildId, shards });
  }

  /** Another guild with one text channel, served to the shard its id maps to (guildIdOnShard picks one). */
  addGuild(guildId = snowflake()): { guildId: string; channelId: string } {
    const channelId = snowflake();
    this.otherGuilds.set(guildId, channelId);
    return { guildId, channelId };
  }

  /** Closes every gateway socket from the server side (as Discord does on restarts). */
  dropGateway(code = 4000): void {
    for (const s of this.sockets) s.close(code, 'server closed the gateway');
  }

  get connectedSockets(): number {
    return [...this.sockets].filter((s) => s.readyState === s.OPEN).length;
  }

  private onConnection(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.shardOf.delete(socket);
    });
    socket.on('message', (raw) => this.onGatewayMessage(socket, String(raw)));
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatMs }, s: null, t: null }));
  }

  private send(socket: WebSocket, t: string, d: unknown): void {
    this.seq += 1;
    socket.send(JSON.stringify({ op: 0, t, s: this.seq, d }));
  }

  private onGatewayMessage(socket: WebSocket, raw: string): void {
    const payload = JSON.parse(raw);
    switch (payload.op) {
      case 1: // heartbeat
        socket.send(JSON.stringify({ op: 11, d: null, s: null, t: null }));
        break;
      case 2: {
        // identify
        this.identifies.push(payload.d);
        const shard: [number, number] | undefined = Array.isArray(payload.d.shard) ? payload.d.shard : undefined;
        const sessionId = `session-${this.identifies.length}`;
        if (shard) {
          this.shardOf.set(socket, shard);
          this.sessionShards.set(sessionId, shard);
        }
        const guilds = [this.guildId, ...this.otherGuilds.keys()].filter((id) => !shard || shardOfGuild(id, shard[1]) === shard[0]);
        this.send(socket, 'READY', {
          v: 10,
          user: this.botUser,
          application: { id: this.applicationId, flags: 0 },
          session_id: sessionId,
          resume_gateway_url: this.gatewayUrl,
          guilds: guilds.map((id) => ({ id, unavailable: true })),
          private_channels: [],
          relationships: [],
          user_settings: {},
          ...(shard ? { shard } : {}),
        });
        for (const id of guilds) this.send(socket, 'GUILD_CREATE', this.guildPayload(id));
        this.emit('session');
        break;
      }
      case 6: // resume
        if (this.sessionShards.has(payload.d.session_id)) this.shardOf.set(socket, this.sessionShards.get(payload.d.session_id)!);
        this.resumes.push(payload.d);
        this.send(socket, 'RESUMED', {});
        this.emit('session');
        break;
      default:
        break; // presence updates and the like
    }
  }

  guildPayload(guildId = this.guildId): any {
    const now = new Date().toISOString();
    const other = this.otherGuilds.get(guildId);
    if (other) {
      const channel = { id: other, type: 0, name: 'general', guild_id: guildId, position: 0, permission_overwrites: [], parent_id: null, topic: null, nsfw: false, rate_limit_per_user: 0 };
      const base = this.guildPayload();
      return { ...base, id: guildId, name: 'Another server', threads: [], channels: [channel], roles: [{ ...base.roles[0], id: guildId }] };
    }
    return {
      id: this.guildId,
      name: 'Trade policy',
      icon: null,
      owner_id: snowflake(),
      unavailable: false,
      member_count: 2,
      large: false,
      joined_at: now,
      features: [],
      emojis: [],
      stickers: [],
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      threads: [...this.threads.values()],
      roles: [
        { id: this.guildId, name: '@everyone', permissions: '1071698660929', position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 },
      ],
      channels: [
        { id: this.channelId, type: 0, name: 'general', guild_id: this.guildId, position: 0, permission_overwrites: [], parent_id: null, topic: null, nsfw: false, rate_limit_per_user: 0 },
        {
          id: this.forumChannelId,
          type: 15,
          name: 'help',
          guild_id: this.guildId,
          position: 1,
          permission_overwrites: [],
          parent_id: null,
          topic: null,
          nsfw: false,
          rate_limit_per_user: 0,
          available_tags: [],
          default_reaction_emoji: null,
          default_sort_order: null,
          default_forum_layout: 0,
          flags: 0,
        },
      ],
      members: [{ user: this.botUser, roles: [], joined_at: now, deaf: false, mute: false, flags: 0 }],
    };
  }

  /** Serves `body` from loopback like an attachment on Discord's CDN; returns the attachment object a message carries. */
  addAttachment(filename: string, body: Buffer | string, contentType = 'text/plain; charset=utf-8'): any {
    const id = snowflake();
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    this.attachments.set(`${id}/${filename}`, { body: bytes, contentType });
    const url = `http://127.0.0.1:${this.port}/attachments/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: bytes.length, url, proxy_url: url, content_type: contentType };
  }

  // ---------- REST ----------

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${this.port}`);
    const file = req.method === 'GET' ? decodeURIComponent(url.pathname).match(/^\/attachments\/(\d+\/[^/]+)$/) : null;
    if (file) {
      const found = this.attachments.get(file[1]);
      res.writeHead(found ? 200 : 404, { 'content-type': found?.contentType ?? 'text/plain' });
      res.end(found?.body ?? 'not found');
      return;
    }
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v\d+/, '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: any = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const call: RecordedCall = { method: req.method ?? 'GET', path, query: Object.fromEntries(url.searchParams), body, at: Date.now() };
    this.calls.push(call);
    const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
      call.status = status;
      res.writeHead(status, { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
      res.end(json === undefined ? undefined : JSON.stringify(json));
    };
    const fault = this.restFaults.find((f) => f.hits < f.times && f.match(call));
    if (fault) {
      fault.hits++;
      if (fault.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (fault.status !== undefined) {
        reply(fault.status, fault.json ?? { message: `injected ${fault.status}`, code: 0 }, fault.headers);
        this.emit('call', call);
        return;
      }
    }
    try {
      const result = this.route(call);
      reply(result.status, result.json);
    } catch (error) {
      reply(500, { message: String(error), code: 0 });
    }
    this.emit('call', call);
  }

  private route(call: RecordedCall): { status: number; json?: unknown } {
    const { method, path, body } = call;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && (path === '/gateway/bot' || path === '/gateway')) {
      return {
        status: 200,
        json: { url: this.gatewayUrl, shards: this.gatewayInfo.shards, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: this.gatewayInfo.maxConcurrency } },
      };
    }
    if (method === 'PUT' && (m = path.match(/^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      const commands = (body as any[]).map((c) => ({ ...c, id: snowflake(), application_id: m![1], guild_id: m![2], version: snowflake(), default_member_permissions: null, type: c.type ?? 1 }));
      return { status: 200, json: commands };
    }
    if (method === 'POST' && (m = path.match(/^\/interactions\/(\d+)\/([^/]+)\/callback$/))) {
      const withResponse = call.query.with_response === 'true';
      if (!withResponse) return { status: 204 };
      return { status: 200, json: { interaction: { id: m[1], type: 2 }, resource: { type: body?.type } } };
    }
    if ((m = path.match(/^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/))) {
      const key = `${m[1]}/${m[2]}`;
      if (method === 'DELETE') return { status: 204 };
      if (method === 'PATCH') return { status: 200, json: this.storeWebhookMessage(key, m[3], body) };
      if (method === 'GET') return { status: 200, json: this.webhookMessage(key, m[3]) ?? this.makeMessage(this.channelId, {}) };
    }
    if (method === 'POST' && (m = path.match(/^\/webhooks\/(\d+)\/([^/]+)$/))) {
      return { status: 200, json: this.storeWebhookMessage(`${m[1]}/${m[2]}`, snowflake(), body) };
    }
    if ((m = path.match(/^\/channels\/(\d+)\/typing$/))) return { status: 204 };
    if ((method === 'PUT' || method === 'DELETE') && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/))) {
      const key = `${m[1]}/${m[2]}`;
      const mine = new Set(this.reactions.get(key) ?? []);
      if (method === 'PUT') mine.add(m[3]);
      else mine.delete(m[3]);
      this.reactions.set(key, [...mine]);
      return { status: 204 };
    }
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages\/(\d+)\/threads$/))) {
      const thread = this.newThread(m[1], body, 11);
      this.threads.set(thread.id, thread);
      return { status: 201, json: thread };
    }
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/threads$/))) {
      // a forum post (thread + starter message) or a thread without a message
      const thread = { ...this.newThread(m[1], body, body?.type ?? 11), applied_tags: body?.applied_tags ?? [] };
      this.threads.set(thread.id, thread);
      if (body?.message) this.remember(thread.id, { ...this.makeMessage(thread.id, body.message), id: thread.id });
      return { status: 201, json: body?.message ? { ...thread, message: this.messages.get(thread.id)?.at(-1) } : thread };
    }
    if (method === 'POST' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      const message = this.makeMessage(m[1], body ?? {});
      this.remember(m[1], message);
      return { status: 200, json: message };
    }
    if (method === 'GET' && (m = path.match(/^\/channels\/(\d+)\/messages$/))) {
      const limit = Number(call.query.limit ?? 50);
      return { status: 200, json: [...(this.messages.get(m[1]) ?? [])].reverse().slice(0, limit) };
    }
    return { status: 404, json: { message: `Unknown route ${method} ${path}`, code: 0 } };
  }

  private webhookMessages = new Map<string, any>();

  private webhookMessage(key: string, id: string): any {
    return this.webhookMessages.get(`${key}/${id}`);
  }

  private storeWebhookMessage(key: string, id: string, body: any): any {
    const previous = this.webhookMessage(key, id);
    const message = { ...(previous ?? this.makeMessage(this.channelId, {})), ...this.messageFields(body ?? {}), edited_timestamp: previous ? new Date().toISOString() : null };
    if (id !== '@original') message.id = id;
    this.webhookMessages.set(`${key}/${id}`, message);
    return message;
  }

  private messageFields(body: any): any {
    const out: any = {};
    for (const field of ['content', 'embeds', 'components', 'flags']) if (body[field] !== undefined) out[field] = body[field];
    return out;
  }

  /** A message object as Discord returns it. */
  makeMessage(channelId: string, body: any, author: FakeUser = this.botUser): any {
    return {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      author,
      content: body.content ?? '',
      embeds: body.embeds ?? [],
      components: body.components ?? [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: body.flags ?? 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
    };
  }

  /** A thread object as Discord returns it, for a thread under a message or a forum post. */
  private newThread(parentId: string, body: any, type: number) {
    return {
      id: snowflake(),
      type,
      guild_id: this.guildId,
      parent_id: parentId,
      name: body?.name ?? 'thread',
      owner_id: this.botUser.id,
      last_message_id: null,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      thread_metadata: { archived: false, auto_archive_duration: body?.auto_archive_duration ?? 1440, archive_timestamp: new Date().toISOString(), locked: false },
    };
  }

  remember(channelId: string, message: any): void {
    const list = this.messages.get(channelId) ?? [];
    list.push(message);
    this.messages.set(channelId, list);
  }
}

export async function startDiscordServer(options?: DiscordServerOptions): Promise<FakeDiscordServer> {
  return new FakeDiscordServer(options).start();
}
