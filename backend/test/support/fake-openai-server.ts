/**
 * A local HTTP server speaking OpenAI's Chat Completions wire format, powered by the deterministic
 * mock model (`../mock/mock-model.ts`, test hooks included). Used by unit tests, e2e tests and
 * load tests, so it depends on nothing but Node.
 *
 * - `POST /v1/chat/completions`: a `chat.completion` JSON body, or with `"stream": true` SSE
 *   `chat.completion.chunk` events (a final `choices: []` chunk with usage when
 *   `stream_options.include_usage`), then `data: [DONE]`; `n` choices and `logprobs` honoured,
 *   tool calls streamed as id/name then argument fragments (`../../src/providers/mock/mock-openai.ts`).
 * - `POST /v1/responses` (Responses API) and `POST /v1/embeddings`: see `fakes/openai-responses.ts`
 *   and `fakes/openai-embeddings.ts`.
 * - `GET /v1/models`: the mock models.
 * - Errors have OpenAI's shape `{"error":{"message","type","param","code"}}`: malformed requests
 *   (400), unknown routes (404), a wrong API key when one is configured (401), and the mock
 *   model's `[mock:error:<status>]` hook (a 429 with `retry-after` and `x-ratelimit-*` headers);
 *   `[mock:fail:<n>]` sends an error event mid-stream, `[mock:drop:<n>]` cuts the connection.
 * - `sent` keeps every response body exactly as written, for byte-for-byte comparisons.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MockMessage } from '../../src/providers/mock/mock-model';
import {
  mockAsk,
  mockCompletion,
  mockErrorBody,
  mockReplies,
  mockStreamFrames,
  type MockAsk,
  type MockHead,
} from '../../src/providers/mock/mock-openai';
import { embeddingsAnswer } from './fakes/openai-embeddings';
import { serveResponses } from './fakes/openai-responses';
import { FakeHttpError } from './fakes/fake-http';

export interface FakeOpenAiServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Pause before each streamed token (ms). Default 0. */
  readonly tokenIntervalMs?: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (else 401, as OpenAI answers). */
  readonly apiKey?: string;
  /** `retry-after` of a 429 (seconds). Default 1. */
  readonly retryAfterSeconds?: number;
  /** Never report usage (as some OpenAI-compatible servers): no `usage` in answers or streams. */
  readonly omitUsage?: boolean;
  /** Report this usage in non-streamed answers instead of the true counts (a provider's bad figures). */
  readonly usage?: Record<string, unknown>;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  readonly body: unknown;
  /** The body exactly as received. */
  readonly raw: string;
}

export interface FakeOpenAiServer {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  readonly port: number;
  /** Every request received, in arrival order (cleared by nothing: slice or reset `length` yourself). */
  readonly requests: RecordedRequest[];
  /** Every response body as written (a stream's whole text, cut where it was cut), in order. */
  readonly sent: string[];
  /** Stops listening, cuts open connections (streams included) and cancels pending waits. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];
const MOCK_MODELS = ['mock-1', 'mock-large'];

interface OpenAiErrorBody {
  readonly status: number;
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

class RequestError extends Error {
  constructor(readonly body: OpenAiErrorBody) {
    super(body.message);
  }
}

export async function startFakeOpenAiServer(
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  // Read at each request: a test may change its options between calls.
  const tokenIntervalMs = (): number => Math.max(0, options.tokenIntervalMs ?? 0);
  const requests: RecordedRequest[] = [];
  const sent: string[] = [];
  const pending = new Set<() => void>();
  let closed = false;

  /** Waits `ms`; false when the server closes or the client leaves first. */
  const wait = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      if (closed || res.destroyed) return resolve(false);
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        pending.delete(cancel);
        res.off('close', cancel);
        resolve(ok);
      };
      const cancel = (): void => done(false);
      const timer = setTimeout(() => done(!res.destroyed), ms);
      pending.add(cancel);
      res.once('close', cancel);
    });

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const text = JSON.stringify(body);
    sent.push(text);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'x-request-id': requestId(),
    });
    res.end(text);
  };

  /** OpenAI's error body; a 429 with the back-off hints OpenAI sends (its SDKs wait as told). */
  const sendError = (res: ServerResponse, error: OpenAiErrorBody): void => {
    const { status, ...body } = error;
    const rateLimit = {
      'retry-after': String(options.retryAfterSeconds ?? 1),
      'x-ratelimit-reset-requests': '1s',
    };
    sendJson(res, status, { error: body }, status === 429 ? rateLimit : {});
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = req.url ?? '/';
    const route = path.split('?')[0].replace(/\/+$/, '');
    const raw = await readBody(req);
    const body = raw === '' ? undefined : parseJson(raw);
    requests.push({
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body: body ?? (raw || undefined),
      raw,
    });

    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw new RequestError(authError(req.headers.authorization));
    }
    if (req.method === 'GET' && route === '/v1/models') {
      const data = MOCK_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'sightline' }));
      return sendJson(res, 200, { object: 'list', data });
    }
    if (req.method === 'POST' && route === '/v1/responses') return serveResponses(body, res);
    if (req.method === 'POST' && route === '/v1/embeddings')
      return sendJson(res, 200, embeddingsAnswer(body));
    if (req.method !== 'POST' || route !== '/v1/chat/completions') {
      throw new RequestError(invalid(404, `Invalid URL (${req.method} ${path})`, null, null));
    }
    if (body === undefined) throw new RequestError(unparsable());
    const ask = validate(body);
    const head = {
      id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
      created: Math.floor(Date.now() / 1000),
      model: ask.model,
    };
    const replies = mockReplies(ask);
    const delayMs = 'kind' in replies ? replies.delayMs : replies[0].delayMs;
    if (delayMs > 0 && !(await wait(delayMs, res))) return;
    if ('kind' in replies)
      throw new RequestError({
        status: replies.status,
        ...mockErrorBody(replies.status, replies.message).error,
      });
    if (ask.stream) return streamReply(res, replies, head, ask);
    if (replies[0].dropAfterTokens !== null) return drop(res);
    const answer = mockCompletion(replies, head, ask.logprobs);
    sendJson(
      res,
      200,
      options.omitUsage
        ? { ...answer, usage: undefined }
        : options.usage
          ? { ...answer, usage: options.usage }
          : answer,
    );
  };

  const streamReply = async (
    res: ServerResponse,
    replies: Parameters<typeof mockStreamFrames>[0],
    head: MockHead,
    ask: MockAsk,
  ): Promise<void> => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId(),
    });
    let text = '';
    const write = (chunk: string): void => {
      text += chunk;
      res.write(chunk);
    };
    const frames = mockStreamFrames(replies, head, {
      ...ask,
      includeUsage: ask.includeUsage && !options.omitUsage,
    });
    try {
      for (const frame of frames) {
        if (frame.kind === 'drop') return drop(res);
        if (frame.kind === 'stop') return void res.end();
        if (frame.paced && tokenIntervalMs() > 0 && !(await wait(tokenIntervalMs(), res))) return;
        if (res.destroyed) return;
        write(`data: ${frame.data}\n\n`);
      }
      write('data: [DONE]\n\n');
      res.end();
    } finally {
      sent.push(text);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof RequestError) return sendError(res, error.body);
      if (error instanceof FakeHttpError) return sendJson(res, error.status, error.body, error.headers);
      sendError(res, { status: 500, message: String(error), type: 'server_error', param: null, code: null });
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    requests,
    sent,
    close: () => {
      closed = true;
      for (const cancel of [...pending]) cancel();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Checks what OpenAI checks (the subset the mock model depends on), with OpenAI's messages. */
function validate(body: unknown): MockAsk & { readonly model: string } {
  if (!isObject(body)) throw new RequestError(unparsable());
  if (typeof body.model !== 'string' || body.model === '') {
    throw new RequestError(invalid(400, 'you must provide a model parameter', null, null));
  }
  const messages = body.messages;
  if (messages === undefined) throw new RequestError(missing('messages'));
  if (!Array.isArray(messages))
    throw new RequestError(wrongType('messages', 'an array of objects', messages));
  if (messages.length === 0) {
    throw new RequestError(
      invalid(
        400,
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        'messages',
        'empty_array',
      ),
    );
  }
  messages.forEach((message: unknown, i) => {
    const at = `messages[${i}]`;
    if (!isObject(message)) throw new RequestError(wrongType(at, 'an object', message));
    if (message.role === undefined) throw new RequestError(missing(`${at}.role`));
    if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      const supported = ROLES.map((r) => `'${r}'`);
      throw new RequestError(
        invalid(
          400,
          `Invalid value: '${String(message.role)}'. Supported values are: ${supported.slice(0, -1).join(', ')}, and ${supported.at(-1)}.`,
          `${at}.role`,
          'invalid_value',
        ),
      );
    }
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      throw new RequestError(wrongType(`${at}.content`, 'one of a string or array of objects', content));
    }
  });
  for (const key of ['max_tokens', 'max_completion_tokens', 'n']) {
    const value = body[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isInteger(value))
      throw new RequestError(wrongType(key, 'an integer', value));
    if (value < 1) {
      throw new RequestError(
        invalid(
          400,
          `Invalid '${key}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
          key,
          'integer_below_min_value',
        ),
      );
    }
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    throw new RequestError(wrongType('stream', 'a boolean', body.stream));
  }
  const stream = body.stream === true;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!stream) {
      throw new RequestError(
        invalid(
          400,
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          'stream_options',
          null,
        ),
      );
    }
    if (!isObject(streamOptions))
      throw new RequestError(wrongType('stream_options', 'an object', streamOptions));
  }
  return { ...mockAsk({ ...body, messages: messages as MockMessage[] }), model: body.model };
}

function invalid(
  status: number,
  message: string,
  param: string | null,
  code: string | null,
): OpenAiErrorBody {
  return { status, message, type: 'invalid_request_error', param, code };
}

function unparsable(): OpenAiErrorBody {
  return invalid(
    400,
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    null,
    null,
  );
}

function missing(param: string): OpenAiErrorBody {
  return invalid(400, `Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

function wrongType(param: string, expected: string, value: unknown): OpenAiErrorBody {
  return invalid(
    400,
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    'invalid_type',
  );
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

/** OpenAI's 401: the key shown masked, never whole. */
function authError(authorization: string | undefined): OpenAiErrorBody {
  const key = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  if (key === '') {
    return invalid(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      null,
      null,
    );
  }
  const masked = key.length > 8 ? `${key.slice(0, 3)}${'*'.repeat(8)}${key.slice(-4)}` : '*'.repeat(8);
  return invalid(
    401,
    `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    null,
    'invalid_api_key',
  );
}

/** Cuts the connection mid-response: what was written is flushed first, then the socket closes. */
function drop(res: ServerResponse): void {
  res.socket?.end();
}

function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new RequestError(invalid(413, 'Request body too large', null, null)));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
