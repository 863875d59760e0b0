import type {
  GenerationCompleted,
  GenerationCostData,
  GenerationFailed,
  GenerationRequested,
  RecordedUsage,
  SightlineEvent,
  SpanRecorded,
} from '@sightline/schemas';
import { createHash } from 'node:crypto';
import { costData, NOT_BILLED_COST } from '../costs/pricing';
import type { MappedSpan } from './genai-span';

const NOT_BILLED = costData(NOT_BILLED_COST);

/** Prices a generation (`Pricing.costOf` in the app). */
export type PriceGeneration = (
  model: string,
  provider: string | undefined,
  usage: RecordedUsage,
  at: Date,
) => GenerationCostData;

/** A span's events in the order they are read back when they share a millisecond. */
const PARTS = ['requested', 'completed', 'failed', 'span'] as const;
type Part = (typeof PARTS)[number];

/**
 * A UUIDv7 derived from the event: its time, its part's rank, then a hash of project, trace, span
 * and part. An exporter's retry of the same span yields the same event ids, so it is recorded once;
 * events of one span at the same millisecond sort in {@link PARTS} order.
 */
export function spanEventId(projectId: string, span: MappedSpan, part: Part, at: string): string {
  const bytes = createHash('sha256')
    .update(`${projectId}\0${span.traceId}\0${span.spanId}\0${part}`)
    .digest();
  bytes.writeUIntBE(Date.parse(at), 0, 6);
  bytes[6] = 0x70;
  bytes[7] = PARTS.indexOf(part);
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function recordedUsage(span: MappedSpan): RecordedUsage {
  const counts = span.usage ?? {
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
  };
  return { ...counts, source: span.usage ? 'reported' : 'unknown' };
}

const latencyMs = (span: MappedSpan): number =>
  span.endedAt
    ? Math.min(0xffff_ffff, Math.max(0, Date.parse(span.endedAt) - Date.parse(span.startedAt)))
    : 0;

/** The fields of `span.recorded` for a span that is not priced as a generation. */
function spanData(span: MappedSpan): SpanRecorded['data'] {
  const fields = {
    kind: span.kind,
    name: span.name,
    startedAt: span.startedAt,
    endedAt: span.endedAt,
    status: span.status,
    statusMessage: span.statusMessage,
    level: span.level,
    input: span.input,
    output: span.output,
    sessionId: span.sessionId,
    tags: span.tags.length ? [...span.tags] : undefined,
    metadata: { ...span.metadata },
    release: span.release,
    version: span.version,
    environment: span.environment,
    model: span.model,
    provider: span.provider,
    modelParameters: Object.keys(span.params).length ? { ...span.params } : undefined,
    usage: span.usage && {
      inputTokens: span.usage.inputTokens,
      outputTokens: span.usage.outputTokens,
      totalTokens: span.usage.totalTokens,
      cachedTokens: span.usage.cachedTokens,
      reasoningTokens: span.usage.reasoningTokens,
      ...(span.usage.outOfRange ? { outOfRange: span.usage.outOfRange } : {}),
    },
  };
  return Object.fromEntries(
    Object.entries(fields).filter(([, v]) => v !== undefined),
  ) as SpanRecorded['data'];
}

/** Priced under the first name the catalog knows (the answering model's, else the one asked). */
function costOf(
  price: PriceGeneration,
  names: readonly string[],
  provider: string | undefined,
  usage: RecordedUsage,
  at: Date,
): GenerationCostData {
  let cost = price(names[0], provider, usage, at);
  for (const name of names.slice(1)) {
    if (!cost.flags.includes('unpriced')) break;
    cost = price(name, provider, usage, at);
  }
  return cost;
}

/**
 * The events an OTLP span is recorded as, unvalidated (source `otlp`), a generation's request with
 * the id of the API key that exported it (`apiKeyId`):
 * - a generation with a model: `generation.requested` at its start, then `generation.completed`
 *   (priced from the catalog at its start) or `generation.failed` at its end (priced the same when
 *   it reports usage), like a gateway call,
 *   and a `span.recorded` with what those do not carry (the span's name, release, environment...);
 * - any other span: one `span.recorded`, complete.
 */
export function eventsOf(
  projectId: string,
  span: MappedSpan,
  price: PriceGeneration,
  apiKeyId?: string,
): SightlineEvent[] {
  const envelope = (part: Part, occurredAt: string) => ({
    eventId: spanEventId(projectId, span, part, occurredAt),
    occurredAt,
    projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
    ...(span.userId ? { endUserId: span.userId } : {}),
    source: 'otlp' as const,
  });
  const endedAt = span.endedAt ?? span.startedAt;
  if (span.kind !== 'generation' || !span.model) {
    return [{ ...envelope('span', endedAt), type: 'span.recorded', version: 2, data: spanData(span) }];
  }
  const model = span.model;
  const provider = span.provider ?? 'unknown';
  const requested: GenerationRequested = {
    ...envelope('requested', span.startedAt),
    type: 'generation.requested',
    version: 2,
    data: {
      provider,
      model,
      messages: [...span.messages],
      params: { ...span.params },
      stream: span.params.stream === true,
      ...(span.sessionId ? { sessionId: span.sessionId } : {}),
      tags: [...span.tags],
      metadata: { ...span.metadata },
      // Like a gateway call: the key that exported it is its spender (budgets, analytics).
      ...(apiKeyId ? { apiKeyId } : {}),
    },
  };
  const usage = recordedUsage(span);
  const servedBy = { provider, model: span.responseModel ?? model };
  const choices = [...span.choices];
  // No provider on the span: priced as the catalog routes the model (or at a custom price for any provider).
  const cost = costOf(price, [servedBy.model, model], span.provider, usage, new Date(span.startedAt));
  const common = {
    servedBy,
    startedAt: span.startedAt,
    latencyMs: latencyMs(span),
    timeToFirstTokenMs: span.timeToFirstTokenMs ?? null,
  };
  const end: GenerationCompleted | GenerationFailed =
    span.status === 'error'
      ? {
          ...envelope('failed', endedAt),
          type: 'generation.failed',
          version: 3,
          data: {
            ...common,
            errorClass: span.errorType ?? 'error',
            providerStatus: null,
            message: span.statusMessage ?? 'the span ended in error',
            output: choices.length ? { choices } : null,
            usage: span.usage ? usage : null,
            // Billed for the usage it reports; nothing reported, nothing known to be billed.
            cost: span.usage ? cost : NOT_BILLED,
          },
        }
      : {
          ...envelope('completed', endedAt),
          type: 'generation.completed',
          version: 3,
          data: {
            ...common,
            output: { choices },
            finishReason: choices[0]?.finishReason ?? span.finishReason ?? 'unknown',
            usage,
            cost,
          },
        };
  // What the generation events do not say: the span's own name, release, environment, level.
  const rest = {
    kind: 'generation' as const,
    name: span.name,
    ...(span.level ? { level: span.level } : {}),
    ...(span.release ? { release: span.release } : {}),
    ...(span.version ? { version: span.version } : {}),
    ...(span.environment ? { environment: span.environment } : {}),
  };
  return [requested, end, { ...envelope('span', endedAt), type: 'span.recorded', version: 2, data: rest }];
}
