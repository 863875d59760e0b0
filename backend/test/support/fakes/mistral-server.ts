/**
 * A local server speaking Mistral's API (`https://api.mistral.ai/v1`), answered by the mock model:
 * - `POST /v1/chat/completions`: OpenAI's shape with Mistral's rules — fields outside Mistral's
 *   request schema (e.g. `seed`, `stream_options`, `max_completion_tokens`) are refused with 422
 *   `extra_forbidden`; tool-call ids that are not exactly 9 letters/digits with 400
 *   `invalid_function_call` (code 3280); tool calls come back with 9-character ids, whole (not in
 *   fragments) when streamed; a stream's last chunk carries the finish reason and the usage, then
 *   `data: [DONE]`.
 * - `POST /v1/embeddings` (`mistral-embed`).
 * Authentication: `Authorization: Bearer <apiKey>`, else 401 `{"message":"Unauthorized"}`.
 */
import type { ServerResponse } from 'node:http';
import { runMockModel, type MockMessage, type MockReply } from '../../../src/providers/mock/mock-model';
import { embeddingsAnswer } from './openai-embeddings';
import {
  FakeHttpError,
  fakeId,
  isObject,
  sendJson,
  startFakeHttpServer,
  startSse,
  type FakeRequest,
  type FakeServer,
} from './fake-http';

export interface FakeMistralServer extends FakeServer {
  /** Base URL including `/v1`. */
  readonly url: string;
}

const REQUEST_FIELDS = new Set([
  'model', 'temperature', 'top_p', 'max_tokens', 'stream', 'stop', 'random_seed', 'messages', 'response_format',
  'tools', 'tool_choice', 'presence_penalty', 'frequency_penalty', 'n', 'prediction', 'parallel_tool_calls',
  'prompt_mode', 'safe_prompt',
]); // prettier-ignore
const TOOL_CALL_ID = /^[A-Za-z0-9]{9}$/;

export async function startFakeMistralServer(options: {
  readonly apiKey: string;
}): Promise<FakeMistralServer> {
  const handle = async (request: FakeRequest, res: ServerResponse): Promise<void> => {
    if (request.headers.authorization !== `Bearer ${options.apiKey}`)
      throw new FakeHttpError(401, { message: 'Unauthorized', request_id: fakeId('') });
    const path = request.path.split('?')[0];
    if (request.method === 'POST' && path === '/v1/embeddings')
      return sendJson(res, 200, { id: fakeId(''), ...(embeddingsAnswer(request.body) as object) });
    if (request.method !== 'POST' || path !== '/v1/chat/completions')
      throw new FakeHttpError(404, { detail: 'Not Found' });
    const body = checked(request.body);
    const outcome = runMockModel({
      messages: body.messages as MockMessage[],
      params: { max_tokens: body.max_tokens },
    });
    if (outcome.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
    if (outcome.kind === 'error')
      throw new FakeHttpError(
        outcome.status,
        mistralError(outcome.message, outcome.status === 429 ? 'rate_limited' : 'api_error', null),
        outcome.status === 429 ? { 'retry-after': '1' } : {},
      );
    const head = {
      id: fakeId(''),
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(body.model),
    };
    if (body.stream === true) return stream(res, outcome, head);
    sendJson(res, 200, {
      ...head,
      choices: [{ index: 0, message: message(outcome), finish_reason: outcome.finishReason }],
      usage: usage(outcome),
    });
  };
  const server = await startFakeHttpServer(handle);
  return { ...server, url: `${server.origin}/v1` };
}

function checked(body: unknown): Record<string, unknown> {
  if (!isObject(body))
    throw new FakeHttpError(400, mistralError('Invalid JSON body', 'invalid_request_error', null));
  const extra = Object.keys(body).filter((key) => !REQUEST_FIELDS.has(key));
  if (extra.length > 0) {
    const detail = extra.map((key) => ({
      type: 'extra_forbidden',
      loc: ['body', key],
      msg: 'Extra inputs are not permitted',
      input: body[key],
    }));
    throw new FakeHttpError(422, mistralError({ detail }, 'invalid_request_error', null));
  }
  if (!Array.isArray(body.messages))
    throw new FakeHttpError(
      422,
      mistralError(
        { detail: [{ type: 'missing', loc: ['body', 'messages'], msg: 'Field required' }] },
        'invalid_request_error',
        null,
      ),
    );
  for (const msg of body.messages as Record<string, unknown>[]) {
    const ids = [
      ...(typeof msg.tool_call_id === 'string' ? [msg.tool_call_id] : []),
      ...(Array.isArray(msg.tool_calls)
        ? (msg.tool_calls as { id?: unknown }[]).map((call) => String(call.id))
        : []),
    ];
    const bad = ids.find((id) => !TOOL_CALL_ID.test(id));
    if (bad !== undefined)
      throw new FakeHttpError(
        400,
        mistralError(
          `Tool call id was ${bad} but must be a-z, A-Z, 0-9, with a length of 9.`,
          'invalid_function_call',
          '3280',
        ),
      );
  }
  return body;
}

function message(reply: MockReply): Record<string, unknown> {
  return { role: 'assistant', content: reply.content ?? '', tool_calls: toolCalls(reply) ?? null };
}

function toolCalls(reply: MockReply): Record<string, unknown>[] | undefined {
  return reply.toolCalls?.map((call, index) => ({
    id: call.id
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(-9)
      .padStart(9, '0'),
    type: 'function',
    function: call.function,
    index,
  }));
}

function usage(reply: MockReply): Record<string, number> {
  return {
    prompt_tokens: reply.usage.inputTokens,
    completion_tokens: reply.usage.outputTokens,
    total_tokens: reply.usage.totalTokens,
  };
}

function stream(res: ServerResponse, reply: MockReply, head: Record<string, unknown>): void {
  const sse = startSse(res);
  const chunk = (delta: unknown, finish: string | null = null, extra: object = {}): void =>
    sse.write({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...extra,
    });
  chunk({ role: 'assistant', content: '' });
  const calls = toolCalls(reply);
  if (calls) chunk({ tool_calls: calls });
  for (let i = 0; i < reply.tokens.length; i++) {
    if (i === reply.dropAfterTokens) return void res.socket?.end();
    chunk({ content: reply.tokens[i] });
  }
  chunk({ content: '' }, reply.finishReason, { usage: usage(reply) });
  sse.end('data: [DONE]\n\n');
}

function mistralError(message: unknown, type: string, code: string | null): Record<string, unknown> {
  return { object: 'error', message, type, param: null, code };
}
