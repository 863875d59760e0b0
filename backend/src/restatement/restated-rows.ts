import type {
  GenerationCancelled,
  GenerationCompleted,
  GenerationFailed,
  GenerationRequested,
  RecordedUsage,
  SightlineEvent,
} from '@sightline/schemas';

/** What the price of one generation came to (the shape of costs' `GenerationCost`). */
export interface RestatedCost {
  readonly totalNanoUsd: bigint;
  readonly breakdown: {
    readonly input: bigint;
    readonly output: bigint;
    readonly cachedInput: bigint;
    readonly cacheWrite: bigint;
    readonly reasoning: bigint;
    readonly audio: bigint;
    readonly image: bigint;
    readonly requestFee: bigint;
  };
  readonly priceVersion: string;
  readonly flags: readonly string[];
}

/** Prices a usage for a project's model at a time: the prices in force now, for that time. */
export type PriceOf = (
  projectId: string,
  model: string,
  provider: string,
  usage: RecordedUsage,
  at: Date,
) => RestatedCost;

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

type GenerationEnd = GenerationCompleted | GenerationFailed | GenerationCancelled;

/** Ends of generations; other events (requests, and kinds added later) carry no usage to price. */
function isEnd(event: SightlineEvent): event is GenerationEnd {
  return (
    event.type === 'generation.completed' ||
    event.type === 'generation.failed' ||
    event.type === 'generation.cancelled'
  );
}

/**
 * Re-price every generation of `events` that reports usage, with the model asked for (the key
 * prices are looked up by) and the provider that answered, at the time the request arrived.
 * An end whose request is unknown is priced on the model that served it.
 */
export function restatedRows(
  events: readonly SightlineEvent[],
  requests: ReadonlyMap<string, RequestedModel>,
  priceOf: PriceOf,
  restatement: Restatement,
): RestatedCostRow[] {
  const rows: RestatedCostRow[] = [];
  for (const event of events) {
    if (!isEnd(event) || !event.data.usage) continue;
    const usage = event.data.usage;
    const requested = requests.get(spanKey(event.projectId, event.spanId));
    const servedBy = event.data.servedBy;
    const model = requested?.model ?? servedBy?.model ?? '';
    const provider = servedBy?.provider ?? requested?.provider ?? '';
    const cost = priceOf(event.projectId, model, provider, usage, new Date(event.data.startedAt));
    const b = cost.breakdown;
    rows.push({
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
    });
  }
  return rows;
}
