import type { EventArchive } from '../archive/event-archive';
import type { ClickHouse } from '../clickhouse/clickhouse';
import type { EventBatch } from '../eventlog/event-consumer';
import type { Projection } from '../projector/projection';
import { ingestedGeneration } from './ingested-generation';
import { generationRows, isEnded, requestsBySpan, spanKey } from './pair-generations';

/**
 * Writes one immutable row per ended generation: gateway and OTLP calls (`generation.*` events,
 * paired with their request), and complete generations sent to `/api/ingest` (one `span.recorded`
 * with start and end), so analytics, lists and their rollups count ingested traffic too. A request
 * is in the same batch or, since a trace's events share a partition and arrive in order, in an
 * earlier batch already archived.
 */
export class GenerationsProjection implements Projection {
  readonly name = 'generations';

  constructor(
    private readonly ch: ClickHouse,
    private readonly archive: EventArchive,
  ) {}

  async apply(batch: EventBatch): Promise<void> {
    const requests = requestsBySpan(batch.events);
    const missing = batch.events
      .filter(isEnded)
      .filter((e) => !requests.has(spanKey(e.projectId, e.spanId)))
      .map((e) => ({ projectId: e.projectId, spanId: e.spanId }));
    for (const request of await this.archive.findRequests(missing)) {
      requests.set(spanKey(request.projectId, request.spanId), request);
    }
    const ingested = batch.events.flatMap((e) =>
      e.type === 'span.recorded' ? (ingestedGeneration(e) ?? []) : [],
    );
    await this.ch.insert(
      'generations',
      [...generationRows(batch.events, requests), ...ingested],
      batch.dedupToken,
    );
  }
}
