import { LmdbEventLog } from '@sightline/backend/dist/eventlog/lmdb/lmdb-event-log';
import { TOPICS } from '@sightline/backend/dist/eventlog/topics';
import { decodeEvent, type SightlineEvent } from '@sightline/schemas';
import { join } from 'node:path';

/** What a Sightline's embedded log holds about generations, per source of the events. */
export interface RecordedGenerations {
  /** Events in the LLM topic. */
  readonly events: number;
  /** Events that did not decode as valid events. */
  readonly invalid: number;
  /** The same eventId more than once. */
  readonly duplicateEventIds: number;
  /** Distinct spans with a `generation.requested`. */
  readonly generations: number;
  /** Spans with exactly one request and exactly one end (completed, failed or cancelled). */
  readonly complete: number;
  /** Spans with no end, or a request without an end, or an end without a request. */
  readonly incomplete: number;
  /** Spans with more than one request or more than one end. */
  readonly doubled: number;
  /** How the spans ended, e.g. `{ 'generation.completed': 1000 }`. */
  readonly ends: Readonly<Record<string, number>>;
  /** The ends' price versions up to their first `:`, e.g. `{ catalog: 1000 }` (`none`: unpriced). */
  readonly prices: Readonly<Record<string, number>>;
}

const END = /^generation\.(completed|failed|cancelled)$/;

/**
 * Reads the LLM topic of a STOPPED Sightline's embedded log (`<dataDir>/eventlog`) from the start
 * and checks that each generation was recorded once, start and end.
 */
export async function recordedGenerations(dataDir: string): Promise<RecordedGenerations> {
  const log = LmdbEventLog.open(join(dataDir, 'eventlog'));
  const spans = new Map<string, { requested: number; ended: number }>();
  const eventIds = new Set<string>();
  const ends: Record<string, number> = {};
  const prices: Record<string, number> = {};
  let events = 0;
  let invalid = 0;
  let duplicateEventIds = 0;
  try {
    const endOffsets = await log.endOffsets(TOPICS.llm);
    for (let partition = 0; partition < endOffsets.length; partition++) {
      for (let offset = 0; offset < endOffsets[partition];) {
        const records = await log.read(TOPICS.llm, partition, offset, 10_000);
        if (!records.length) break;
        offset = records[records.length - 1].offset + 1;
        for (const record of records) {
          events++;
          let event;
          try {
            event = decodeEvent(record.value);
          } catch {
            invalid++;
            continue;
          }
          if (eventIds.has(event.eventId)) duplicateEventIds++;
          eventIds.add(event.eventId);
          const span = spans.get(event.spanId) ?? { requested: 0, ended: 0 };
          spans.set(event.spanId, span);
          if (event.type === 'generation.requested') span.requested++;
          else if (END.test(event.type)) {
            span.ended++;
            ends[event.type] = (ends[event.type] ?? 0) + 1;
            const price = priceOf(event);
            prices[price] = (prices[price] ?? 0) + 1;
          }
        }
      }
    }
  } finally {
    await log.close();
  }
  const all = [...spans.values()];
  return {
    events,
    invalid,
    duplicateEventIds,
    generations: all.filter((s) => s.requested > 0).length,
    complete: all.filter((s) => s.requested === 1 && s.ended === 1).length,
    incomplete: all.filter((s) => s.requested === 0 || s.ended === 0).length,
    doubled: all.filter((s) => s.requested > 1 || s.ended > 1).length,
    ends,
    prices,
  };
}

function priceOf(event: SightlineEvent): string {
  const cost = 'cost' in event.data ? (event.data.cost as { priceVersion?: string } | null) : null;
  return cost?.priceVersion?.split(':')[0] ?? 'null';
}
