/**
 * A local HTTP server speaking Cohere's Chat API v2, powered by the deterministic mock model
 * (`src/providers/mock/mock-model.ts`, test hooks included).
 *
 * - `POST /v2/chat`: a chat response JSON body (`message.content` text items or `tool_plan` +
 *   `tool_calls`, `finish_reason`, `usage.billed_units` / `usage.tokens`), or with `"stream": true`
 *   server-sent events `event: <type>` / `data: {"type": <type>, ...}` (message-start, content-start,
 *   content-delta, content-end, tool-plan-delta, tool-call-start/delta/end, message-end), then
 *   `data: [DONE]`.
 * - `[mock:fail:<n>]`: after n deltas the stream ends with a message-end whose finish_reason is ERROR.
 * - Requests must carry `Authorization: Bearer <apiKey>` when a key is configured (401 otherwise).
 * - Errors have Cohere's shape `{"id", "message"}`: malformed requests (400), unknown routes (404),
 *   and the mock model's `[mock:error:<status>]` hook.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { runMockModel, type MockMessage, type MockReply } from '../../../src/providers/mock/mock-model';
import {
  drop,
  FakeHttpError,
  isObject,
  pause,
  sendJson,
  startFakeHttpServer,
  startSse,
  type FakeRequest,
} from './fake-http';

export interface FakeCohereServerOptions {
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** Pause before each streamed token (ms). Default 0. */
  readonly tokenIntervalMs?: number;
  readonly port?: number;
}

export interface FakeCohereServer {
  /** Base URL as Sightline is configured with it, e.g. `http://127.0.0.1:41234/v2`. */
  readonly url: string;
  /** The server's origin, e.g. `http://127.0.0.1:41234` (the cohere-ai SDK's `baseUrl`). */
  readonly origin: string;
  readonly requests: FakeRequest[];
  close(): Promise<void>;
}

const ROLES = ['system', 'user', 'assistant', 'tool'];

/** Cohere's error answer: `{"id", "message"}`. */
function cohereError(status: number, message: string): FakeHttpError {
  return new FakeHttpError(status, { id: randomUUID(), message });
}

export async function startFakeCohereServer(
  options: FakeCohereServerOptions = {},
): Promise<FakeCohereServer> {
  const tokenIntervalMs = Math.max(0, options.tokenIntervalMs ?? 0);

  const handle = async (request: FakeRequest, res: ServerResponse): Promise<void> => {
    if (options.apiKey !== undefined && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      throw cohereError(401, 'invalid api token');
    }
    if (request.method !== 'POST' || request.path.split('?')[0] !== '/v2/chat') {
      throw cohereError(404, `Not Found: ${request.method} ${request.path}`);
    }
    const input = validate(request.body);
    const outcome = runMockModel(input);
    if (outcome.delayMs > 0 && !(await pause(outcome.delayMs, res))) return;
    if (outcome.kind === 'error') throw cohereError(outcome.status, outcome.message);
    if (input.stream) return streamReply(res, outcome, tokenIntervalMs);
    if (outcome.dropAfterTokens !== null) return drop(res);
    sendJson(res, 200, chatResponse(outcome));
  };

  const server = await startFakeHttpServer(handle, options.port);
  return {
    url: `${server.origin}/v2`,
    origin: server.origin,
    requests: server.requests,
    close: () => server.close(),
  };
}

/** What Cohere checks (the subset the mock model depends on), with Cohere's messages. */
function validate(body: unknown): {
  messages: MockMessage[];
  params: Record<string, unknown>;
  stream: boolean;
} {
  if (!isObject(body)) throw cohereError(400, 'invalid request: body must be a JSON object');
  if (typeof body.model !== 'string' || body.model === '') {
    throw cohereError(400, 'invalid request: a model parameter is required for this endpoint.');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw cohereError(400, 'invalid request: messages must not be empty');
  }
  body.messages.forEach((message: unknown, i) => {
    if (!isObject(message) || !ROLES.includes(String(message.role))) {
      throw cohereError(400, `invalid request: messages[${i}].role must be one of ${ROLES.join(', ')}`);
    }
    if (message.role === 'tool' && typeof message.tool_call_id !== 'string') {
      throw cohereError(400, `invalid request: messages[${i}].tool_call_id is required for tool messages`);
    }
  });
  return {
    messages: body.messages as MockMessage[],
    params: { max_tokens: body.max_tokens },
    stream: body.stream === true,
  };
}

function finishReason(reply: MockReply): string {
  return reply.finishReason === 'length'
    ? 'MAX_TOKENS'
    : reply.finishReason === 'tool_calls'
      ? 'TOOL_CALL'
      : 'COMPLETE';
}

function usage(reply: MockReply): unknown {
  const counts = { input_tokens: reply.usage.inputTokens, output_tokens: reply.usage.outputTokens };
  return { billed_units: counts, tokens: counts };
}

/** The mock model's tool call in Cohere's shape (ids `<name>_<hex>`), with the plan Cohere writes first. */
function toolCall(reply: MockReply): {
  plan: string;
  call: { id: string; type: 'function'; function: { name: string; arguments: string } };
} | null {
  const call = reply.toolCalls?.[0];
  if (!call) return null;
  const { name, arguments: args } = call.function;
  return {
    plan: `I will use the ${name} tool.`,
    call: {
      id: `${name}_${call.id.slice('call_'.length)}`,
      type: 'function',
      function: { name, arguments: args },
    },
  };
}

function chatResponse(reply: MockReply): unknown {
  const tool = toolCall(reply);
  const message = tool
    ? { role: 'assistant', tool_plan: tool.plan, tool_calls: [tool.call] }
    : { role: 'assistant', content: [{ type: 'text', text: reply.content ?? '' }] };
  return { id: randomUUID(), message, finish_reason: finishReason(reply), usage: usage(reply) };
}

async function streamReply(res: ServerResponse, reply: MockReply, intervalMs: number): Promise<void> {
  const sse = startSse(res);
  const send = (type: string, body: Record<string, unknown>): void => sse.write({ type, ...body }, type);
  const tool = toolCall(reply);
  const start = { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] };
  send('message-start', { id: randomUUID(), delta: { message: start } });
  const pieces = tool ? (tool.call.function.arguments.match(/[\s\S]{1,4}/g) ?? []) : reply.tokens;
  if (tool) {
    send('tool-plan-delta', { delta: { message: { tool_plan: tool.plan } } });
    const first = { ...tool.call, function: { name: tool.call.function.name, arguments: '' } };
    send('tool-call-start', { index: 0, delta: { message: { tool_calls: first } } });
  } else {
    send('content-start', { index: 0, delta: { message: { content: { type: 'text', text: '' } } } });
  }
  for (let i = 0; i < pieces.length; i++) {
    if (i === reply.dropAfterTokens) return drop(res);
    if (i === reply.failAfterTokens) {
      send('message-end', {
        delta: { finish_reason: 'ERROR', error: 'Mock stream failure requested by [mock:fail]' },
      });
      return sse.end('data: [DONE]\n\n');
    }
    if (intervalMs > 0 && !(await pause(intervalMs, res))) return;
    if (tool)
      send('tool-call-delta', {
        index: 0,
        delta: { message: { tool_calls: { function: { arguments: pieces[i] } } } },
      });
    else send('content-delta', { index: 0, delta: { message: { content: { text: pieces[i] } } } });
  }
  if (res.destroyed) return;
  send(tool ? 'tool-call-end' : 'content-end', { index: 0 });
  send('message-end', { delta: { finish_reason: finishReason(reply), usage: usage(reply) } });
  sse.end('data: [DONE]\n\n');
}
