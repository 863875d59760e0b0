import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationFailed,
  GenerationRequested,
  RecordedUsage,
  SightlineEvent,
  SpanRecorded,
} from '@sightline/schemas';
import { usdToNano } from '../costs/price-math';
import { CACHE_HIT_COST, costFromData, NOT_BILLED_COST, type GenerationCost } from '../costs/pricing';
import { pricedSpan } from '../costs/span-costs';

/**
 * Prices a usage for a project's model at a time: the prices in force now, for that time. `provider`
 * undefined (a span reported without one): the one the catalog routes the model to.
 */
export type PriceOf = (
  projectId: string,
  model: string,
  provider: string | undefined,
  usage: RecordedUsage,
  at: Date,
) => GenerationCost;

/** A row of `restated_costs`; amounts as decimal strings (Int64 in JSON). */
export interface RestatedCostRow {
  readonly project_id: string;
  readonly span_id: string;
  readonly trace_id: string;
  readonly user_id: string;
  readonly started_at: string;
  readonly restatement_id: string;
  readonly version: number;
  readonly total_nano_usd: string;
  readonly input_nano_usd: string;
  readonly output_nano_usd: string;
  readonly cached_input_nano_usd: string;
  readonly cache_write_nano_usd: string;
  readonly reasoning_nano_usd: string;
  readonly audio_nano_usd: string;
  readonly image_nano_usd: string;
  readonly request_fee_nano_usd: string;
  readonly price_version: string;
  readonly flags: readonly string[];
}

export interface Restatement {
  readonly id: string;
  /** Its start in epoch ms: the newest restatement of a generation wins. */
  readonly version: number;
}

/** The request's model and provider, kept per span while its end is awaited. */
export interface RequestedModel {
  readonly model: string;
  readonly provider: string;
  readonly user: string;
}

export const spanKey = (projectId: string, spanId: string): string => `${projectId}/${spanId}`;

export function requestedModel(event: GenerationRequested): RequestedModel {
  return { model: event.data.model, provider: event.data.provider, user: event.data.user ?? '' };
}

/** A generation's end: completed, or broken off with what it had produced. */
type GenerationEnd = GenerationCompleted | GenerationFailed | GenerationCancelled;

/** The types of the events a restatement re-prices: every generation end and reported generation spans. */
export const PRICED_TYPES: ReadonlySet<string> = new Set<SightlineEvent['type']>([
  'generation.completed',
  'generation.failed',
  'generation.cancelled',
  'span.recorded',
]);

const isEnd = (event: SightlineEvent): event is GenerationEnd =>
  event.type === 'generation.completed' ||
  event.type === 'generation.failed' ||
  event.type === 'generation.cancelled';

/**
 * A request's model and provider matter only to a priced end that does not name what served it
 * (v1 events).
 */
export function needsRequest(event: SightlineEvent): boolean {
  return isEnd(event) && !event.data.servedBy && event.data.usage !== null;
}

/**
 * Re-price `events` as they were priced when recorded, at the prices in force now: a generation end
 * with the model and provider that served it (else the request's) and its usage, at the time the
 * request arrived; a call that broke off before anything arrived was not billed; an answer from the
 * response cache cost nothing. A reported generation span is priced from its model and usage, and a
 * total its caller sent stays as it was (Sightline cannot know that price). Other events: no row.
 */
export function restatedRows(
  events: readonly SightlineEvent[],
  requests: ReadonlyMap<string, RequestedModel>,
  priceOf: PriceOf,
  restatement: Restatement,
): RestatedCostRow[] {
  const rows: RestatedCostRow[] = [];
  for (const event of events) {
    if (isEnd(event)) {
      const requested = requests.get(spanKey(event.projectId, event.spanId));
      const cost = endCost(event, requested, priceOf);
      rows.push(
        row(event, event.data.startedAt, event.endUserId ?? requested?.user ?? '', cost, restatement),
      );
    } else if (event.type === 'span.recorded') {
      const priced = spanCost(event, priceOf);
      if (priced) rows.push(row(event, priced.startedAt, event.endUserId ?? '', priced.cost, restatement));
    }
  }
  return rows;
}

function endCost(
  event: GenerationEnd,
  requested: RequestedModel | undefined,
  priceOf: PriceOf,
): GenerationCost {
  if (event.type === 'generation.completed' && event.data.cacheHit) return CACHE_HIT_COST;
  const usage: RecordedUsage | null = event.data.usage;
  if (!usage) return NOT_BILLED_COST;
  const model = event.data.servedBy?.model ?? requested?.model ?? '';
  const provider = event.data.servedBy?.provider ?? requested?.provider ?? '';
  return priceOf(event.projectId, model, provider, usage, new Date(event.data.startedAt));
}

function spanCost(
  event: SpanRecorded,
  priceOf: PriceOf,
): { cost: GenerationCost; startedAt: string } | undefined {
  const startedAt = event.data.startedAt ?? event.occurredAt;
  const recorded = event.data.cost;
  if (recorded?.flags.includes('caller_supplied')) return { cost: costFromData(recorded), startedAt };
  const span = pricedSpan(event.data, event.occurredAt);
  if (!span) return undefined;
  return { cost: priceOf(event.projectId, span.model, span.provider, span.usage, span.at), startedAt };
}

function row(
  event: SightlineEvent,
  startedAt: string,
  userId: string,
  cost: GenerationCost,
  restatement: Restatement,
): RestatedCostRow {
  const b = cost.breakdown;
  return {
    project_id: event.projectId,
    span_id: event.spanId,
    trace_id: event.traceId,
    user_id: userId,
    started_at: startedAt,
    restatement_id: restatement.id,
    version: restatement.version,
    total_nano_usd: cost.totalNanoUsd.toString(),
    input_nano_usd: b.input.toString(),
    output_nano_usd: b.output.toString(),
    cached_input_nano_usd: b.cachedInput.toString(),
    cache_write_nano_usd: b.cacheWrite.toString(),
    reasoning_nano_usd: b.reasoning.toString(),
    audio_nano_usd: b.audio.toString(),
    image_nano_usd: b.image.toString(),
    request_fee_nano_usd: b.requestFee.toString(),
    price_version: cost.priceVersion,
    flags: [...cost.flags],
  };
}

/** What the generations a batch (or a run, a job) re-priced cost when recorded and restated, in nano-USD. */
export interface CostTotals {
  readonly ingestedNanoUsd: bigint;
  readonly restatedNanoUsd: bigint;
}

export const NO_TOTALS: CostTotals = { ingestedNanoUsd: 0n, restatedNanoUsd: 0n };

/** The total an event's generation was recorded with; an unpriced or missing cost counts as 0. */
function recordedNanoUsd(event: SightlineEvent): bigint {
  const cost = isEnd(event) || event.type === 'span.recorded' ? event.data.cost : null;
  return cost && !cost.flags.includes('unpriced') ? usdToNano(cost.totalUsd) : 0n;
}

/**
 * The cost at ingestion and the restated cost of the generations `rows` re-priced (made from
 * `events` by {@link restatedRows}); an unpriced cost counts as 0 on either side.
 */
export function restatedTotals(
  events: readonly SightlineEvent[],
  rows: readonly RestatedCostRow[],
): CostTotals {
  const priced = new Set(rows.map((r) => spanKey(r.project_id, r.span_id)));
  let ingestedNanoUsd = 0n;
  for (const event of events)
    if (priced.has(spanKey(event.projectId, event.spanId))) ingestedNanoUsd += recordedNanoUsd(event);
  let restatedNanoUsd = 0n;
  for (const row of rows) if (!row.flags.includes('unpriced')) restatedNanoUsd += BigInt(row.total_nano_usd);
  return { ingestedNanoUsd, restatedNanoUsd };
}
