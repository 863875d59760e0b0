/**
 * The mock model's answers in OpenAI's Chat Completions wire format, as OpenAI sends them: shared
 * by the in-process mock provider and the fake OpenAI server, so both speak the same bytes.
 * `n` choices (each its own mock reply), `logprobs`, tool calls streamed as id/name then argument
 * fragments, `stream_options.include_usage`, and the mock hooks (`drop`, `fail`) are honoured.
 */
import { runMockModel, type MockFailure, type MockMessage, type MockReply } from './mock-model';

export interface MockHead {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

/** What a Chat Completions body asks of the mock model. */
export interface MockAsk {
  readonly messages: readonly MockMessage[];
  readonly params: Readonly<Record<string, unknown>>;
  readonly n: number;
  readonly logprobs: boolean;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

/** Reads a (checked) Chat Completions body. */
export function mockAsk(body: Record<string, unknown>): MockAsk {
  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return {
    messages: body.messages as MockMessage[],
    params: body,
    n: typeof body.n === 'number' && body.n > 1 ? Math.min(body.n, 16) : 1,
    logprobs: body.logprobs === true,
    stream: body.stream === true,
    includeUsage: options?.include_usage === true,
  };
}

/** One reply per choice, or the failure the hooks asked for. */
export function mockReplies(ask: MockAsk): readonly MockReply[] | MockFailure {
  const replies: MockReply[] = [];
  for (let choice = 0; choice < ask.n; choice++) {
    const outcome = runMockModel({ messages: ask.messages, params: ask.params, choice });
    if (outcome.kind === 'error') return outcome;
    replies.push(outcome);
  }
  return replies;
}

/** OpenAI's error body for a status the `[mock:error:<status>]` hook asks for. */
export function mockErrorBody(status: number, message: string) {
  const error = (type: string, code: string | null, param: string | null = null) => ({
    error: { message, type, param, code },
  });
  switch (status) {
    case 401:
      return error('invalid_request_error', 'invalid_api_key');
    case 403:
      return error('invalid_request_error', 'unsupported_country_region_territory');
    case 404:
      return error('invalid_request_error', 'model_not_found', 'model');
    case 429:
      return error('requests', 'rate_limit_exceeded');
    default:
      return status >= 500 ? error('server_error', null) : error('invalid_request_error', null);
  }
}

function usage(replies: readonly MockReply[]) {
  const input = replies[0].usage.inputTokens;
  const output = replies.reduce((sum, r) => sum + r.usage.outputTokens, 0);
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** OpenAI's `logprobs` of some tokens (deterministic values). */
function logprobsOf(tokens: readonly string[], from = 0) {
  return {
    content: tokens.map((token, i) => ({
      token,
      logprob: -((from + i) % 7) / 10,
      bytes: [...Buffer.from(token, 'utf8')],
      top_logprobs: [],
    })),
    refusal: null,
  };
}

/** The non-streamed answer (`chat.completion`). */
export function mockCompletion(replies: readonly MockReply[], head: MockHead, logprobs: boolean) {
  return {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: replies.map((reply, index) => ({
      index,
      message: {
        role: 'assistant',
        content: reply.content,
        refusal: null,
        annotations: [],
        ...(reply.toolCalls ? { tool_calls: reply.toolCalls } : {}),
      },
      logprobs: logprobs ? logprobsOf(reply.tokens) : null,
      finish_reason: reply.finishReason,
    })),
    usage: usage(replies),
    service_tier: 'default',
    system_fingerprint: 'fp_sightline',
  };
}

/** A step of a streamed answer: an SSE `data:` payload (after a token's pause when `paced`), or the end. */
export type MockFrame =
  | { readonly kind: 'data'; readonly data: string; readonly paced: boolean }
  /** The connection drops here (`[mock:drop:<n>]`). */
  | { readonly kind: 'drop' }
  /** An error event was sent: the stream stops, no `[DONE]` (`[mock:fail:<n>]`). */
  | { readonly kind: 'stop' };

/** The pieces a reply streams, per choice: content tokens, or its tool call's arguments in 4-char fragments. */
function pieces(reply: MockReply): readonly string[] {
  const call = reply.toolCalls?.[0];
  return call ? (call.function.arguments.match(/[\s\S]{1,4}/g) ?? []) : reply.tokens;
}

/** The frames of a streamed answer, in order: role chunks, pieces round-robin over choices, finish, usage, `[DONE]`. */
export function* mockStreamFrames(
  replies: readonly MockReply[],
  head: MockHead,
  ask: Pick<MockAsk, 'logprobs' | 'includeUsage'>,
): Generator<MockFrame> {
  const data = (choices: unknown[], paced: boolean, usageValue: unknown = null): MockFrame => ({
    kind: 'data',
    paced,
    data: JSON.stringify({
      id: head.id,
      object: 'chat.completion.chunk',
      created: head.created,
      model: head.model,
      service_tier: 'default',
      system_fingerprint: 'fp_sightline',
      choices,
      ...(ask.includeUsage ? { usage: usageValue } : {}),
    }),
  });
  const choice = (
    index: number,
    delta: unknown,
    finishReason: string | null = null,
    logprobs: unknown = null,
  ) => ({
    index,
    delta,
    logprobs,
    finish_reason: finishReason,
  });
  const first = replies[0];
  for (const [index, reply] of replies.entries()) {
    const call = reply.toolCalls?.[0];
    const delta = call
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              index: 0,
              id: call.id,
              type: 'function',
              function: { name: call.function.name, arguments: '' },
            },
          ],
          refusal: null,
        }
      : { role: 'assistant', content: '', refusal: null };
    yield data([choice(index, delta, null, null)], false);
  }
  const steps = Math.max(...replies.map((r) => pieces(r).length));
  for (let step = 0; step < steps; step++) {
    if (step === first.dropAfterTokens) return yield { kind: 'drop' };
    if (step === first.failAfterTokens) {
      const failure = mockErrorBody(
        500,
        `Mock failure after ${step} tokens requested by [mock:fail:${step}]`,
      );
      yield { kind: 'data', paced: false, data: JSON.stringify(failure) };
      return yield { kind: 'stop' };
    }
    for (const [index, reply] of replies.entries()) {
      const piece = pieces(reply)[step];
      if (piece === undefined) continue;
      const delta = reply.toolCalls
        ? { tool_calls: [{ index: 0, function: { arguments: piece } }] }
        : { content: piece };
      const logprobs = ask.logprobs && !reply.toolCalls ? logprobsOf([piece], step) : null;
      yield data([choice(index, delta, null, logprobs)], index === 0);
    }
  }
  for (const [index, reply] of replies.entries()) yield data([choice(index, {}, reply.finishReason)], false);
  if (ask.includeUsage) yield data([], false, usage(replies));
}
