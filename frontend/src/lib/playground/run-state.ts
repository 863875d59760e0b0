/** One model's answer in the playground as it streams (first choice only). Times in ms (performance.now). */
export interface RunState {
  readonly status: 'running' | 'done' | 'stopped' | 'failed';
  readonly text: string;
  readonly toolCalls: readonly ToolCallSoFar[];
  readonly finishReason: string | null;
  /** From the stream's final usage chunk; null until it arrives. */
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number } | null;
  readonly startedAt: number;
  readonly firstTokenAt: number | null;
  readonly endedAt: number | null;
  readonly error: string | null;
  /** Sightline's ids of the recorded generation (response headers). */
  readonly traceId: string | null;
  readonly spanId: string | null;
}

export interface ToolCallSoFar {
  readonly id: string;
  readonly name: string;
  /** JSON text, whole once the stream ended. */
  readonly arguments: string;
}

/** A Chat Completions stream chunk, the parts the playground reads. */
export interface ChatChunk {
  readonly choices?: readonly {
    readonly index: number;
    readonly delta?: {
      readonly content?: string | null;
      readonly refusal?: string | null;
      readonly tool_calls?: readonly {
        readonly index: number;
        readonly id?: string;
        readonly function?: { readonly name?: string; readonly arguments?: string };
      }[];
    };
    readonly finish_reason?: string | null;
  }[];
  readonly usage?: { readonly prompt_tokens: number; readonly completion_tokens: number } | null;
  readonly error?: { readonly message?: string };
}

export function startedRun(at: number): RunState {
  return {
    status: 'running',
    text: '',
    toolCalls: [],
    finishReason: null,
    usage: null,
    startedAt: at,
    firstTokenAt: null,
    endedAt: null,
    error: null,
    traceId: null,
    spanId: null,
  };
}

function mergeToolCalls(
  calls: readonly ToolCallSoFar[],
  deltas: NonNullable<NonNullable<NonNullable<ChatChunk['choices']>[number]['delta']>['tool_calls']>,
): ToolCallSoFar[] {
  const merged = [...calls];
  for (const d of deltas) {
    const old = merged[d.index] ?? { id: '', name: '', arguments: '' };
    merged[d.index] = {
      id: d.id ?? old.id,
      name: old.name + (d.function?.name ?? ''),
      arguments: old.arguments + (d.function?.arguments ?? ''),
    };
  }
  return merged;
}

/** The state after one chunk arrived at time `at`. Pure. */
export function applyChunk(state: RunState, chunk: ChatChunk, at: number): RunState {
  if (chunk.error)
    return { ...state, status: 'failed', error: chunk.error.message ?? 'The stream failed', endedAt: at };
  let next = state;
  const choice = chunk.choices?.find((c) => c.index === 0);
  const delta = choice?.delta;
  const text = (delta?.content ?? '') + (delta?.refusal ?? '');
  if (text || delta?.tool_calls?.length) {
    next = {
      ...next,
      text: next.text + text,
      toolCalls: delta?.tool_calls ? mergeToolCalls(next.toolCalls, delta.tool_calls) : next.toolCalls,
      firstTokenAt: next.firstTokenAt ?? at,
    };
  }
  if (choice?.finish_reason) next = { ...next, finishReason: choice.finish_reason };
  if (chunk.usage)
    next = {
      ...next,
      usage: { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens },
    };
  return next;
}

/** About 4 characters a token in English prose: the live estimate until the provider reports usage. */
const CHARS_PER_TOKEN = 4;

/** Output tokens so far estimated from the text and tool call arguments streamed (0 for none). */
export function estimatedOutputTokens(state: RunState): number {
  const chars =
    state.text.length + state.toolCalls.reduce((n, c) => n + c.name.length + c.arguments.length, 0);
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/**
 * Derived figures: ms, output tokens and output tokens per second after the first token. Until the
 * stream's usage arrives, tokens and tokens/s are estimated from what streamed so far up to `now`
 * (`estimated` true: shown with ≈); the usage replaces them once it arrives.
 */
export function figures(
  state: RunState,
  now: number = state.endedAt ?? state.startedAt,
): {
  ttftMs: number | null;
  latencyMs: number | null;
  outputTokens: number | null;
  tokensPerSecond: number | null;
  estimated: boolean;
} {
  const ttftMs = state.firstTokenAt === null ? null : state.firstTokenAt - state.startedAt;
  const latencyMs = state.endedAt === null ? null : state.endedAt - state.startedAt;
  const until = state.endedAt ?? now;
  const streamingMs = state.firstTokenAt !== null ? until - state.firstTokenAt : 0;
  const estimated = !state.usage && state.firstTokenAt !== null;
  const outputTokens = state.usage
    ? state.usage.outputTokens
    : estimated
      ? estimatedOutputTokens(state)
      : null;
  const tokensPerSecond =
    outputTokens !== null && streamingMs > 0 ? outputTokens / (streamingMs / 1000) : null;
  return { ttftMs, latencyMs, outputTokens, tokensPerSecond, estimated };
}
