import WebSocket from 'ws';

/** How a request authenticates. */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'key'; readonly key: string; readonly header?: 'authorization' | 'x-api-key' }
  | {
      readonly kind: 'session';
      readonly cookie: string;
      /** Sent as `x-csrf-token`; null sends none. */
      readonly csrf: string | null;
      /** `Origin` of a graphql-ws upgrade; unset sends none (a non-browser client). */
      readonly origin?: string;
    };

export const NO_CREDENTIALS: Credential = { kind: 'none' };

export const withoutCsrf = (c: Credential): Credential => (c.kind === 'session' ? { ...c, csrf: null } : c);
export const withCsrf = (c: Credential, csrf: string): Credential =>
  c.kind === 'session' ? { ...c, csrf } : c;
export const withOrigin = (c: Credential, origin: string): Credential =>
  c.kind === 'session' ? { ...c, origin } : c;

export interface GraphqlError {
  readonly message: string;
  readonly extensions?: { readonly code?: string; readonly reason?: string };
}

export interface GraphqlResult {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphqlError[];
}

/** Everything a caller saw, kept whole for the leak search. */
export interface Outcome {
  readonly transport: 'http' | 'ws';
  /** HTTP status. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly setCookies?: readonly string[];
  readonly body?: unknown;
  /** GraphQL result (HTTP body, or the payloads of a graphql-ws operation merged). */
  readonly gql?: GraphqlResult;
  /** graphql-ws: whether the server refused the connection (closed it before `connection_ack`). */
  readonly refused?: boolean;
  readonly closeCode?: number;
  /** The whole response: status, headers, body; or every websocket frame and the close reason. */
  readonly text: string;
  /** The part two calls must agree on to give no hint (body, or frames and close code). */
  readonly comparable: string;
}

function credentialHeaders(c: Credential, method: string): Record<string, string> {
  if (c.kind === 'key')
    return c.header === 'x-api-key' ? { 'x-api-key': c.key } : { authorization: `Bearer ${c.key}` };
  if (c.kind === 'session') {
    const headers: Record<string, string> = { cookie: c.cookie };
    if (c.csrf !== null && method !== 'GET') headers['x-csrf-token'] = c.csrf;
    return headers;
  }
  return {};
}

export interface HttpOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** One HTTP request with `credential`; redirects are not followed (they are part of the answer). */
export async function httpRequest(
  base: string,
  credential: Credential,
  method: 'GET' | 'POST',
  path: string,
  options: HttpOptions = {},
): Promise<Outcome> {
  const headers: Record<string, string> = { ...credentialHeaders(credential, method), ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body, redirect: 'manual' });
  const raw = await res.text();
  let parsed: unknown = raw;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    // not JSON: keep the text
  }
  const responseHeaders: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') responseHeaders[name] = value;
  });
  const setCookies = res.headers.getSetCookie();
  const looksGraphql =
    typeof parsed === 'object' && parsed !== null && ('errors' in parsed || 'data' in parsed);
  return {
    transport: 'http',
    status: res.status,
    headers: responseHeaders,
    setCookies,
    body: parsed,
    gql: looksGraphql ? (parsed as GraphqlResult) : undefined,
    text: [`${res.status}`, JSON.stringify(responseHeaders), setCookies.join('\n'), raw].join('\n'),
    comparable: `${res.status}\n${normalize(raw)}`,
  };
}

/** Drops what differs between any two calls (stack traces' addresses do not; timestamps would). */
function normalize(text: string): string {
  return text.replace(/"stacktrace":\[[^\]]*\]/g, '"stacktrace":[]');
}

/** A GraphQL operation over HTTP: POST (JSON), or GET with the query in the URL. */
export function graphqlHttp(
  base: string,
  credential: Credential,
  query: string,
  variables: Record<string, unknown> = {},
  method: 'GET' | 'POST' = 'POST',
): Promise<Outcome> {
  if (method === 'POST')
    return httpRequest(base, credential, 'POST', '/graphql', { body: { query, variables } });
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  // Apollo's own CSRF prevention wants a preflight-forcing header on GET: send it, so what is
  // tested is Sightline's authorization, not Apollo's guard.
  return httpRequest(base, credential, 'GET', `/graphql?${params}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
}

interface Frame {
  readonly type: string;
  readonly id?: string;
  readonly payload?: unknown;
}

/**
 * A raw graphql-ws (`graphql-transport-ws`) connection: records every frame the server sent,
 * so a test sees exactly what a client would.
 */
export class WsConnection {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  closeCode: number | undefined;
  closeReason = '';
  acked = false;
  private readonly socket: WebSocket;
  private readonly closedPromise: Promise<void>;
  private readonly ackedPromise: Promise<boolean>;
  private nextId = 1;

  private constructor(url: string, credential: Credential) {
    const headers: Record<string, string> = {};
    if (credential.kind === 'session') {
      headers.cookie = credential.cookie;
      if (credential.origin) headers.origin = credential.origin;
    }
    this.socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    this.closedPromise = new Promise((resolve) => {
      this.socket.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      });
      this.socket.on('error', () => resolve());
    });
    this.ackedPromise = new Promise((resolve) => {
      this.socket.on('open', () =>
        this.send({
          type: 'connection_init',
          payload: credential.kind === 'key' ? { authorization: `Bearer ${credential.key}` } : {},
        }),
      );
      this.socket.on('message', (data) => {
        const text = data.toString();
        this.raw.push(text);
        const frame = JSON.parse(text) as Frame;
        this.frames.push(frame);
        if (frame.type === 'connection_ack') {
          this.acked = true;
          resolve(true);
        }
        if (frame.type === 'ping') this.send({ type: 'pong' });
      });
      void this.closedPromise.then(() => resolve(false));
    });
  }

  /** Connects and waits for `connection_ack` or the close that refuses it. */
  static async open(url: string, credential: Credential): Promise<WsConnection> {
    const connection = new WsConnection(url, credential);
    await connection.ackedPromise;
    return connection;
  }

  get closed(): boolean {
    return this.closeCode !== undefined;
  }

  private send(frame: object): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  /** Starts an operation; its frames land in `frames` under the returned id. */
  subscribe(query: string, variables: Record<string, unknown> = {}): string {
    const id = String(this.nextId++);
    this.send({ id, type: 'subscribe', payload: { query, variables } });
    return id;
  }

  /** The frames of operation `id`. */
  framesOf(id: string): Frame[] {
    return this.frames.filter((f) => f.id === id);
  }

  /** Whether operation `id` ended (complete or error frame). */
  ended(id: string): boolean {
    return this.framesOf(id).some((f) => f.type === 'complete' || f.type === 'error');
  }

  /**
   * Runs one operation over this connection until its first result or its end: a subscription
   * (e.g. a running experiment's progress) may stay open long after the answer the row checks.
   */
  async execute(query: string, variables: Record<string, unknown> = {}, timeoutMs = 20_000): Promise<string> {
    const id = this.subscribe(query, variables);
    const answered = () => this.framesOf(id).some((f) => f.type === 'next');
    await waitFor(() => answered() || this.ended(id) || this.closed, timeoutMs);
    return id;
  }

  /** What the caller saw of operation `id` (or of the whole connection) as an Outcome. */
  outcome(id?: string): Outcome {
    const frames = id ? this.framesOf(id) : this.frames;
    const payloads = frames
      .filter((f) => f.type === 'next' || f.type === 'error')
      .map((f) =>
        f.type === 'error' ? { errors: f.payload as GraphqlError[] } : (f.payload as GraphqlResult),
      );
    const gql: GraphqlResult | undefined = payloads.length
      ? {
          data: payloads.find((p) => p.data)?.data ?? null,
          errors: payloads.flatMap((p) => p.errors ?? []),
        }
      : undefined;
    const close = this.closed ? `close ${this.closeCode} ${this.closeReason}` : 'open';
    const frameText = frames.map((f) => JSON.stringify(f)).join('\n');
    return {
      transport: 'ws',
      gql,
      refused: !this.acked,
      closeCode: this.closeCode,
      text: `${this.raw.join('\n')}\n${close}`,
      comparable: normalize(`${frameText}\n${this.acked ? 'acked' : 'refused'} ${close}`),
    };
  }

  /** Generation payloads pushed to subscription `id`. */
  pushed<T>(id: string, field: string): T[] {
    return this.framesOf(id)
      .filter((f) => f.type === 'next')
      .map((f) => (f.payload as GraphqlResult).data?.[field] as T)
      .filter((v) => v !== undefined && v !== null);
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.socket.close(1000);
      await Promise.race([this.closedPromise, sleep(2000)]);
    }
  }
}

/** One query or mutation over a fresh graphql-ws connection. */
export async function graphqlWs(
  wsUrl: string,
  credential: Credential,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Outcome> {
  const connection = await WsConnection.open(wsUrl, credential);
  try {
    if (!connection.acked) return connection.outcome();
    const id = await connection.execute(query, variables);
    return connection.outcome(id);
  } finally {
    await connection.close();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(setCookies: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    setCookies
      .map((c) => c.split(';')[0])
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}
