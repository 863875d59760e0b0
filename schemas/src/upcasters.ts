import type {
  GenerationCancelled,
  GenerationCancelledV1,
  GenerationCompleted,
  GenerationCompletedV1,
  GenerationCompletedV2,
  GenerationFailed,
  GenerationFailedV1,
  GenerationFailedV2,
  GenerationRequested,
  GenerationRequestedV1,
  ToolCall,
} from './events/generation';
import type {
  ScoreRecorded,
  ScoreRecordedV1,
  ScoreValue,
  SpanRecorded,
  SpanRecordedV1,
} from './events/trace';

/** Turns version N of an event into version N+1. Keyed by `<type>.v<N>`. */
type Upcaster = (event: never) => unknown;

function generationRequestedV1toV2(event: GenerationRequestedV1): GenerationRequested {
  const { temperature, maxTokens, ...rest } = event.data;
  const params: Record<string, unknown> = {};
  if (temperature !== undefined) params.temperature = temperature;
  if (maxTokens !== undefined) params.max_tokens = maxTokens;
  return { ...event, version: 2, data: { ...rest, params, tags: [], metadata: {} } };
}

interface ToolCallPiece {
  index?: unknown;
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown };
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * v1 kept tool calls as the provider sent them: whole calls (OpenAI's shape), or a stream's
 * fragments (id and name first, then argument pieces, by `index`). Either way, whole calls.
 */
export function wholeToolCalls(pieces: readonly unknown[]): ToolCall[] {
  const calls = new Map<number, ToolCall>();
  pieces.forEach((raw, position) => {
    const piece = (raw ?? {}) as ToolCallPiece;
    const key = typeof piece.index === 'number' ? piece.index : position;
    const call = calls.get(key) ?? { id: '', name: '', arguments: '' };
    calls.set(key, {
      id: call.id || text(piece.id),
      name: call.name + text(piece.function?.name),
      arguments: call.arguments + text(piece.function?.arguments),
    });
  });
  return [...calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
}

/** v1 → v2: the output becomes one choice with whole tool calls; usage is what the provider reported. */
function generationCompletedV1toV2(event: GenerationCompletedV1): GenerationCompletedV2 {
  const { output, usage, ...rest } = event.data;
  const choice = {
    index: 0,
    content: output.content,
    toolCalls: wholeToolCalls(output.toolCalls ?? []),
    finishReason: rest.finishReason,
  };
  return {
    ...event,
    version: 2,
    data: { ...rest, output: { choices: [choice] }, usage: { ...usage, source: 'reported' } },
  };
}

/** v2 → v3: a v2 cost (never recorded in practice) keeps its total, as an exact decimal, without a breakdown. */
function generationCompletedV2toV3(event: GenerationCompletedV2): GenerationCompleted {
  const cost = event.data.cost;
  return {
    ...event,
    version: 3,
    data: {
      ...event.data,
      cost: cost && { totalUsd: cost.totalUsd.toFixed(9), priceVersion: cost.priceTableVersion, flags: [] },
    },
  };
}

/** v1 → v2: v1 recorded nothing of a broken call's output. */
function generationFailedV1toV2(event: GenerationFailedV1): GenerationFailedV2 {
  return {
    ...event,
    version: 2,
    data: { ...event.data, output: null, usage: null, timeToFirstTokenMs: null },
  };
}

/** v2 → v3: recorded before broken calls were priced: the cost is unknown (null), not zero. */
function generationFailedV2toV3(event: GenerationFailedV2): GenerationFailed {
  return { ...event, version: 3, data: { ...event.data, cost: null } };
}

/** v1 → v2: as for failed calls, no cost was computed. */
function generationCancelledV1toV2(event: GenerationCancelledV1): GenerationCancelled {
  return { ...event, version: 2, data: { ...event.data, cost: null } };
}

/** v1 → v2: v1 spans had no cost; the field stays absent. */
function spanRecordedV1toV2(event: SpanRecordedV1): SpanRecorded {
  return { ...event, version: 2 };
}

/**
 * v1 → v2: one typed value instead of `value` / `stringValue` by convention. A v1 numeric score
 * without a number has no v2 form: it stays `null`, fails validation and is dead-lettered.
 */
function scoreRecordedV1toV2(event: ScoreRecordedV1): ScoreRecorded {
  const { dataType, value, stringValue, ...rest } = event.data;
  const score = {
    numeric: { dataType, value },
    categorical: { dataType, value: stringValue },
    boolean: { dataType, value: stringValue === 'true' || value === 1 },
  }[dataType] as ScoreValue;
  return { ...event, version: 2, data: { ...rest, score } };
}

export const UPCASTERS: Readonly<Record<string, Upcaster>> = {
  'generation.requested.v1': generationRequestedV1toV2,
  'generation.completed.v1': generationCompletedV1toV2,
  'generation.completed.v2': generationCompletedV2toV3,
  'generation.failed.v1': generationFailedV1toV2,
  'generation.failed.v2': generationFailedV2toV3,
  'generation.cancelled.v1': generationCancelledV1toV2,
  'span.recorded.v1': spanRecordedV1toV2,
  'score.recorded.v1': scoreRecordedV1toV2,
};
