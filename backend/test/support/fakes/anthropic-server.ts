/**
 * A local HTTP server speaking Anthropic's Messages API, powered by the deterministic mock model
 * (`src/providers/mock/mock-model.ts`, test hooks included: `[mock:error:529]`, `[mock:tool:name]`,
 * `[mock:tokens:n]`, `[mock:delay:ms]`, `[mock:drop:n]`, `[mock:fail:n]`: an `error` event mid-stream). Faithful to the documented wire format:
 *
 * - `POST /v1/messages`: a `message` JSON body, or with `"stream": true` the SSE sequence
 *   `message_start`, `ping`, per content block `content_block_start` / `content_block_delta`
 *   (`text_delta`, `thinking_delta` + `signature_delta`, `input_json_delta`) / `content_block_stop`,
 *   then `message_delta` (stop reason, output usage) and `message_stop`. `thinking` in the request
 *   adds a thinking block; `stop_sequences` cut the text (`stop_reason: stop_sequence`).
 * - `POST /v1/messages/count_tokens`: `{ input_tokens }`, the same count `usage.input_tokens` reports.
 * - Errors are `{ type: 'error', error: { type, message }, request_id }` with Anthropic's statuses
 *   (400, 401, 403, 404, 413, 429, 500, 529); a 429 carries `retry-after` and `anthropic-ratelimit-*`.
 *   The key (`x-api-key` or bearer) is checked when `apiKey` is set; `anthropic-version` is required.
 * - Every response carries a `request-id` header; the bytes of each answer are kept in `responses`.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { drop, fakeId, isObject, pause } from './fake-http';
import {
  countTokens,
  messageText,
  runMockModel,
  type MockMessage,
  type MockReply,
} from '../../../src/providers/mock/mock-model';

export interface FakeAnthropicServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Pause before each streamed delta (ms). Default 0. */
  readonly tokenIntervalMs?: number;
  /**
   * When set, requests must carry `x-api-key: <apiKey>` or `Authorization: Bearer <apiKey>` (the
   * official SDK sends the latter since 1.x), else 401 as Anthropic answers.
   */
  readonly apiKey?: string;
}

export interface RecordedAnthropicRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when empty or not JSON. */
  readonly body: unknown;
  /** The exact bytes received. */
  readonly raw: Buffer;
}

export interface RecordedAnthropicResponse {
  readonly requestId: string;
  readonly status: number;
  /** The exact bytes sent (the whole SSE stream for a streamed answer). */
  readonly bytes: Buffer;
}

export interface FakeAnthropicServer {
  /** Base URL without `/v1` (Anthropic's SDKs add it), e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedAnthropicRequest[];
  readonly responses: RecordedAnthropicResponse[];
  close(): Promise<void>;
}

/** Anthropic's error types by status (API reference, "Errors"). */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};
const RATE_LIMIT_HEADERS = {
  'anthropic-ratelimit-requests-limit': '50',
  'anthropic-ratelimit-requests-remaining': '49',
  'anthropic-ratelimit-requests-reset': '2026-01-01T00:00:01Z',
  'anthropic-ratelimit-tokens-limit': '40000',
  'anthropic-ratelimit-tokens-remaining': '39000',
  'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:01Z',
};
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** The thinking block's text, as streamed (added when the request enables thinking). */
const THINKING = ['Considering', ' the', ' request', ' carefully.'];
const SIGNATURE = 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds';

class AnthropicError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

interface Block {
  readonly type: 'text' | 'thinking' | 'tool_use';
  readonly text?: string;
  readonly thinking?: string;
  readonly id?: string;
  readonly name?: string;
  readonly input?: unknown;
}

interface Answer {
  readonly blocks: readonly Block[];
  /** Streamed pieces per block (text tokens, thinking words, input JSON fragments). */
  readonly pieces: readonly (readonly string[])[];
  readonly stopReason: 'end_turn' | 'max_tokens' | 'tool_use' | 'stop_sequence';
  readonly stopSequence: string | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly dropAfter: number | null;
  /** After this many streamed pieces, an `error` event (`overloaded_error`) ends the stream. */
  readonly failAfter: number | null;
}

export async function startFakeAnthropicServer(
  options: FakeAnthropicServerOptions = {},
): Promise<FakeAnthropicServer> {
  const interval = Math.max(0, options.tokenIntervalMs ?? 0);
  const requests: RecordedAnthropicRequest[] = [];
  const responses: RecordedAnthropicResponse[] = [];
  /** Writes and remembers the bytes of one answer. */
  const recorder = (res: ServerResponse, requestId: string, status: number) => {
    const sent: Buffer[] = [];
    responses.push({
      requestId,
      status,
      get bytes() {
        return Buffer.concat(sent);
      },
    });
    return (text: string): void => {
      const bytes = Buffer.from(text);
      sent.push(bytes);
      res.write(bytes);
    };
  };

  const sendJson = (
    res: ServerResponse,
    requestId: string,
    status: number,
    body: unknown,
    headers = {},
  ): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      ...RATE_LIMIT_HEADERS,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
      'request-id': requestId,
    });
    recorder(res, requestId, status)(text);
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    const path = req.url ?? '/';
    const route = path.split('?')[0].replace(/\/+$/, '');
    const raw = await readBody(req);
    const body = parseJson(raw);
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, raw });

    const bearer = req.headers.authorization?.replace(/^Bearer /, '');
    if (options.apiKey !== undefined && (req.headers['x-api-key'] ?? bearer) !== options.apiKey) {
      throw new AnthropicError(401, 'invalid x-api-key');
    }
    if (req.method !== 'POST' || (route !== '/v1/messages' && route !== '/v1/messages/count_tokens')) {
      throw new AnthropicError(404, 'Not Found');
    }
    if (!req.headers['anthropic-version'])
      throw new AnthropicError(400, 'anthropic-version: header is required');
    if (body === undefined)
      throw new AnthropicError(400, 'There was an issue with the request body: not valid JSON');
    const request = validate(body, route === '/v1/messages');
    if (route === '/v1/messages/count_tokens') {
      return sendJson(res, requestId, 200, { input_tokens: inputTokens(request) });
    }
    const outcome = runMockModel({ messages: request.messages, params: { max_tokens: request.maxTokens } });
    if (outcome.delayMs > 0 && !(await pause(outcome.delayMs, res))) return;
    if (outcome.kind === 'error') throw new AnthropicError(outcome.status, outcome.message);
    const answer = answerOf(outcome, request);
    const id = fakeId('msg_');
    if (!request.stream) {
      if (answer.dropAfter !== null) return drop(res);
      return sendJson(res, requestId, 200, message(id, request.model, answer));
    }
    res.writeHead(200, {
      ...RATE_LIMIT_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'request-id': requestId,
    });
    const write = recorder(res, requestId, 200);
    const send = (type: string, data: object): void =>
      write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
    const start = message(id, request.model, { ...answer, blocks: [] });
    send('message_start', {
      message: {
        ...start,
        stop_reason: null,
        stop_sequence: null,
        usage: { ...start.usage, output_tokens: 1 },
      },
    });
    send('ping', {});
    let sentPieces = 0;
    for (const [index, block] of answer.blocks.entries()) {
      send('content_block_start', { index, content_block: emptyBlock(block) });
      for (const piece of answer.pieces[index]) {
        if (sentPieces === answer.failAfter) {
          send('error', { error: { type: 'overloaded_error', message: 'Overloaded' } });
          return void res.end();
        }
        if (sentPieces++ === answer.dropAfter) return drop(res);
        if (interval > 0 && !(await pause(interval, res))) return;
        send('content_block_delta', { index, delta: deltaOf(block, piece) });
      }
      if (block.type === 'thinking')
        send('content_block_delta', { index, delta: { type: 'signature_delta', signature: SIGNATURE } });
      send('content_block_stop', { index });
    }
    send('message_delta', {
      delta: { stop_reason: answer.stopReason, stop_sequence: answer.stopSequence },
      usage: { output_tokens: answer.outputTokens },
    });
    send('message_stop', {});
    res.end();
  };

  const server = createServer((req, res) => {
    const requestId = fakeId('req_');
    handle(req, res, requestId).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      const status = error instanceof AnthropicError ? error.status : 500;
      const type = ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
      const message = error instanceof AnthropicError ? error.message : String(error);
      const headers = status === 429 ? { 'retry-after': '7' } : {};
      sendJson(
        res,
        requestId,
        status,
        { type: 'error', error: { type, message }, request_id: requestId },
        headers,
      );
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    requests,
    responses,
    close: () => {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

interface ValidRequest {
  readonly model: string;
  readonly maxTokens: number;
  /** System prompt first (as a `system` message), so the mock model sees what the model would. */
  readonly messages: readonly MockMessage[];
  readonly stream: boolean;
  readonly thinking: boolean;
  readonly stopSequences: readonly string[];
  readonly tools: unknown;
}

/** Checks what Anthropic checks (the subset the mock model depends on), with its messages. */
function validate(body: unknown, needsMaxTokens: boolean): ValidRequest {
  if (!isObject(body)) throw new AnthropicError(400, 'body: Input should be an object');
  if (typeof body.model !== 'string' || body.model === '')
    throw new AnthropicError(400, 'model: Field required');
  const maxTokens = body.max_tokens;
  if (needsMaxTokens && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw new AnthropicError(400, 'max_tokens: Field required');
  }
  if (!Array.isArray(body.messages)) throw new AnthropicError(400, 'messages: Field required');
  if (body.messages.length === 0) throw new AnthropicError(400, 'messages: at least one message is required');
  body.messages.forEach((m: unknown, i) => {
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) {
      throw new AnthropicError(400, `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) {
      throw new AnthropicError(400, `messages.${i}.content: Input should be a valid list`);
    }
  });
  const system = typeof body.system === 'string' ? body.system : messageText(body.system);
  const messages = [
    ...(system ? [{ role: 'system', content: system }] : []),
    ...(body.messages as MockMessage[]),
  ];
  const thinking = isObject(body.thinking) && body.thinking.type !== 'disabled';
  const stopSequences = Array.isArray(body.stop_sequences) ? (body.stop_sequences as string[]) : [];
  return {
    model: body.model,
    maxTokens: Number(maxTokens),
    messages,
    stream: body.stream === true,
    thinking,
    stopSequences,
    tools: body.tools,
  };
}

/** The count `usage.input_tokens` reports: the mock model's, plus the tool definitions' JSON. */
function inputTokens(request: ValidRequest): number {
  const texts = request.messages.reduce((sum, m) => sum + countTokens(messageText(m.content)), 0);
  return texts + (request.tools === undefined ? 0 : countTokens(JSON.stringify(request.tools)));
}

function answerOf(reply: MockReply, request: ValidRequest): Answer {
  const blocks: Block[] = [];
  const pieces: string[][] = [];
  let outputTokens = reply.usage.outputTokens;
  if (request.thinking) {
    blocks.push({ type: 'thinking', thinking: THINKING.join('') });
    pieces.push([...THINKING]);
    outputTokens += THINKING.length;
  }
  let stopReason: Answer['stopReason'] = reply.finishReason === 'length' ? 'max_tokens' : 'end_turn';
  let stopSequence: string | null = null;
  const call = reply.toolCalls?.[0];
  if (call) {
    const input = JSON.parse(call.function.arguments) as unknown;
    blocks.push({ type: 'tool_use', id: `toolu_${call.id.slice(5)}`, name: call.function.name, input });
    const json = JSON.stringify(input);
    pieces.push(json.match(/[\s\S]{1,5}/g) ?? []);
    stopReason = 'tool_use';
  } else {
    let tokens = [...reply.tokens];
    const cut = firstStop(tokens.join(''), request.stopSequences);
    if (cut) {
      tokens = cutTokens(tokens, cut.at);
      stopReason = 'stop_sequence';
      stopSequence = cut.sequence;
      outputTokens = tokens.length + (request.thinking ? THINKING.length : 0);
    }
    blocks.push({ type: 'text', text: tokens.join('') });
    pieces.push(tokens);
  }
  return {
    blocks,
    pieces,
    stopReason,
    stopSequence,
    inputTokens: inputTokens(request),
    outputTokens,
    dropAfter: reply.dropAfterTokens,
    failAfter: reply.failAfterTokens,
  };
}

/** The tokens up to `at` characters (the last one cut short when the stop falls inside it). */
function cutTokens(tokens: readonly string[], at: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const token of tokens) {
    if (used >= at) break;
    const piece = token.slice(0, at - used);
    kept.push(piece);
    used += piece.length;
  }
  return kept;
}

function firstStop(text: string, sequences: readonly string[]): { at: number; sequence: string } | null {
  let best: { at: number; sequence: string } | null = null;
  for (const sequence of sequences) {
    const at = sequence === '' ? -1 : text.indexOf(sequence);
    if (at >= 0 && (best === null || at < best.at)) best = { at, sequence };
  }
  return best;
}

function message(id: string, model: string, answer: Answer): Record<string, unknown> & { usage: object } {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: answer.blocks.map((b) =>
      b.type === 'thinking'
        ? { ...b, signature: SIGNATURE }
        : b.type === 'text'
          ? { ...b, citations: null }
          : b,
    ),
    stop_reason: answer.stopReason,
    stop_sequence: answer.stopSequence,
    usage: {
      input_tokens: answer.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: answer.outputTokens,
      service_tier: 'standard',
    },
  };
}

function emptyBlock(block: Block): unknown {
  if (block.type === 'text') return { type: 'text', text: '', citations: null };
  if (block.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  return { type: 'tool_use', id: block.id, name: block.name, input: {} };
}

function deltaOf(block: Block, piece: string): unknown {
  if (block.type === 'text') return { type: 'text_delta', text: piece };
  if (block.type === 'thinking') return { type: 'thinking_delta', thinking: piece };
  return { type: 'input_json_delta', partial_json: piece };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new AnthropicError(413, 'Request exceeds the maximum allowed number of bytes.'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  try {
    return raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}
