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

/** Derived figures: ms, and output tokens per second after the first token. */
export function figures(state: RunState): {
  ttftMs: number | null;
  latencyMs: number | null;
  tokensPerSecond: number | null;
} {
  const ttftMs = state.firstTokenAt === null ? null : state.firstTokenAt - state.startedAt;
  const latencyMs = state.endedAt === null ? null : state.endedAt - state.startedAt;
  const streamingMs =
    state.endedAt !== null && state.firstTokenAt !== null ? state.endedAt - state.firstTokenAt : 0;
  const tokensPerSecond =
    state.usage && streamingMs > 0 ? state.usage.outputTokens / (streamingMs / 1000) : null;
  return { ttftMs, latencyMs, tokensPerSecond };
}
