/**
 * OpenAI's Responses API (`POST /v1/responses`) answered by the deterministic mock model, as the
 * API reference documents it: a `response` object (output items: `message` with `output_text`, or
 * `function_call` for `[mock:tool:<name>]`; usage with token details), or with `"stream": true` the
 * event sequence `response.created` → `response.in_progress` → `response.output_item.added` →
 * `response.content_part.added` → `response.output_text.delta`… → `response.output_text.done` →
 * `response.content_part.done` → `response.output_item.done` → `response.completed` (or
 * `response.incomplete`), every event with its `sequence_number` and no `[DONE]`. The mock hooks
 * (`error`, `delay`, `drop`, `tokens`, `tool`) work as on the chat endpoint.
 */
import type { ServerResponse } from 'node:http';
import { runMockModel, type MockMessage, type MockReply } from '../../../src/providers/mock/mock-model';
import { FakeHttpError, fakeId, isObject, sendJson, startSse } from './fake-http';

type Json = Record<string, unknown>;

export async function serveResponses(body: unknown, res: ServerResponse): Promise<void> {
  if (!isObject(body)) throw invalid('We could not parse the JSON body of your request.', null);
  if (typeof body.model !== 'string' || body.model === '')
    throw invalid("Missing required parameter: 'model'.", 'model');
  if (typeof body.previous_response_id === 'string')
    throw new FakeHttpError(400, {
      error: {
        message: `Previous response with id '${body.previous_response_id}' not found.`,
        type: 'invalid_request_error',
        param: 'previous_response_id',
        code: 'previous_response_not_found',
      },
    });
  const outcome = runMockModel({ messages: messages(body), params: { max_tokens: body.max_output_tokens } });
  if (outcome.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
  if (outcome.kind === 'error') {
    const retry: Record<string, string> = outcome.status === 429 ? { 'retry-after': '1' } : {};
    const type = outcome.status >= 500 ? 'server_error' : 'invalid_request_error';
    throw new FakeHttpError(
      outcome.status,
      { error: { message: outcome.message, type, param: null, code: null } },
      retry,
    );
  }
  const head = { id: fakeId('resp_'), created_at: Math.floor(Date.now() / 1000), model: body.model };
  if (body.stream === true) return stream(res, outcome, head, body);
  if (outcome.dropAfterTokens !== null) return void res.socket?.end();
  sendJson(res, 200, response(head, body, outcome, finalOutput(outcome, head.id)));
}

/** The conversation as the mock model reads it (roles and texts), independent of the gateway's translator. */
function messages(body: Json): MockMessage[] {
  const out: MockMessage[] =
    typeof body.instructions === 'string' ? [{ role: 'system', content: body.instructions }] : [];
  const input = body.input;
  if (typeof input === 'string') return [...out, { role: 'user', content: input }];
  if (!Array.isArray(input)) throw invalid("Missing required parameter: 'input'.", 'input');
  for (const item of input as unknown[]) {
    if (!isObject(item)) throw invalid("Invalid type for 'input': expected an array of objects.", 'input');
    if ((item.type ?? 'message') === 'message') out.push({ role: String(item.role), content: item.content });
    else if (item.type === 'function_call_output') out.push({ role: 'tool', content: item.output });
  }
  return out;
}

function finalOutput(reply: MockReply, responseId: string): Json[] {
  const call = reply.toolCalls?.[0];
  if (call)
    return [
      {
        type: 'function_call',
        id: `fc_${responseId}`,
        call_id: call.id,
        name: call.function.name,
        arguments: call.function.arguments,
        status: 'completed',
      },
    ];
  const status = reply.finishReason === 'length' ? 'incomplete' : 'completed';
  return [message(responseId, status, reply.content ?? '')];
}

function message(responseId: string, status: string, text: string | null): Json {
  const content = text === null ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }];
  return { type: 'message', id: `msg_${responseId}`, status, role: 'assistant', content };
}

function response(head: Json, body: Json, reply: MockReply | null, output: Json[]): Json {
  const status =
    reply === null ? 'in_progress' : reply.finishReason === 'length' ? 'incomplete' : 'completed';
  return {
    ...head,
    object: 'response',
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? 1,
    truncation: 'disabled',
    usage:
      reply === null
        ? null
        : {
            input_tokens: reply.usage.inputTokens,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: reply.usage.outputTokens,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: reply.usage.totalTokens,
          },
    metadata: body.metadata ?? {},
    service_tier: 'default',
  };
}

function stream(res: ServerResponse, reply: MockReply, head: Json, body: Json): void {
  const sse = startSse(res);
  let sequence = 0;
  const send = (type: string, fields: Json): void =>
    sse.write({ type, sequence_number: sequence++, ...fields }, type);
  const started = response(head, body, null, []);
  send('response.created', { response: started });
  send('response.in_progress', { response: started });
  const id = String(head.id);
  const call = reply.toolCalls?.[0];
  if (call) {
    const item = {
      type: 'function_call',
      id: `fc_${id}`,
      call_id: call.id,
      name: call.function.name,
      arguments: '',
      status: 'in_progress',
    };
    send('response.output_item.added', { output_index: 0, item });
    const pieces = call.function.arguments.match(/[\s\S]{1,4}/g) ?? [];
    for (let i = 0; i < pieces.length; i++) {
      if (i === reply.dropAfterTokens) return void res.socket?.end();
      send('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: pieces[i] });
    }
    send('response.function_call_arguments.done', {
      item_id: item.id,
      output_index: 0,
      name: call.function.name,
      arguments: call.function.arguments,
    });
    send('response.output_item.done', {
      output_index: 0,
      item: { ...item, arguments: call.function.arguments, status: 'completed' },
    });
  } else {
    const where = { item_id: `msg_${id}`, output_index: 0, content_index: 0 };
    send('response.output_item.added', { output_index: 0, item: message(id, 'in_progress', null) });
    send('response.content_part.added', {
      ...where,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
    for (let i = 0; i < reply.tokens.length; i++) {
      if (i === reply.dropAfterTokens) return void res.socket?.end();
      send('response.output_text.delta', { ...where, delta: reply.tokens[i], logprobs: [] });
    }
    const text = reply.content ?? '';
    send('response.output_text.done', { ...where, text, logprobs: [] });
    send('response.content_part.done', {
      ...where,
      part: { type: 'output_text', text, annotations: [], logprobs: [] },
    });
    send('response.output_item.done', { output_index: 0, item: finalOutput(reply, id)[0] });
  }
  const done = response(head, body, reply, finalOutput(reply, id));
  send(done.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: done });
  sse.end();
}

function invalid(message: string, param: string | null): FakeHttpError {
  return new FakeHttpError(400, { error: { message, type: 'invalid_request_error', param, code: null } });
}
