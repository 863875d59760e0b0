import type {
  GenerationCompleted,
  GenerationRequested,
  RecordedUsage,
  SightlineEvent,
} from '@sightline/schemas';
import { CACHE_HIT_COST, type GenerationCost } from '../costs/pricing';

/** Prices a usage for a project's model at a time: the prices in force now, for that time. */
export type PriceOf = (
  projectId: string,
  model: string,
  provider: string,
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

/** A request's model and provider matter only to an end that does not name what served it (v1 events). */
export function needsRequest(event: SightlineEvent): boolean {
  return event.type === 'generation.completed' && !event.data.servedBy;
}

/**
 * Re-price every completed generation of `events` as the gateway prices it when it ends: the model
 * and provider that served it (else the request's), with its usage, at the time the request arrived.
 * An answer from the response cache cost nothing, whatever the prices.
 */
export function restatedRows(
  events: readonly SightlineEvent[],
  requests: ReadonlyMap<string, RequestedModel>,
  priceOf: PriceOf,
  restatement: Restatement,
): RestatedCostRow[] {
  const rows: RestatedCostRow[] = [];
  for (const event of events) {
    if (event.type === 'generation.completed') rows.push(restatedRow(event, requests, priceOf, restatement));
  }
  return rows;
}

function restatedRow(
  event: GenerationCompleted,
  requests: ReadonlyMap<string, RequestedModel>,
  priceOf: PriceOf,
  restatement: Restatement,
): RestatedCostRow {
  const requested = requests.get(spanKey(event.projectId, event.spanId));
  const model = event.data.servedBy?.model ?? requested?.model ?? '';
  const provider = event.data.servedBy?.provider ?? requested?.provider ?? '';
  const cost = event.data.cacheHit
    ? CACHE_HIT_COST
    : priceOf(event.projectId, model, provider, event.data.usage, new Date(event.data.startedAt));
  const b = cost.breakdown;
  return {
    project_id: event.projectId,
    span_id: event.spanId,
    trace_id: event.traceId,
    user_id: event.endUserId ?? requested?.user ?? '',
    started_at: event.data.startedAt,
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
