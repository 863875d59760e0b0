import { EventValidationError, type SightlineEvent } from '@sightline/schemas';
import type { EventArchive, ArchiveCursor } from '../archive/event-archive';
import type { EventLog } from '../eventlog/event-log';

/** Events to project again, with how far the replay is: `done` of `total` (records or rows read). */
export interface ReplayBatch<T> {
  readonly events: readonly T[];
  /** Names the batch: the same records give the same token. */
  readonly token: string;
  readonly done: number;
}

/** What a rebuild replays: how much in all, and the batches in order. */
export interface Replay<T> {
  readonly total: number;
  readonly batches: AsyncIterable<ReplayBatch<T>>;
}

/** Decodes a record, or skips it: what fails validation went to the dead-letter topic when it was appended. */
function decoded<T>(decode: (bytes: Buffer) => T, bytes: Buffer): T[] {
  try {
    return [decode(bytes)];
  } catch (error) {
    if (error instanceof EventValidationError) return [];
    throw error;
  }
}

/**
 * A topic from its first offset to its end when the replay starts, partition after partition
 * (order only matters within a partition, as for the live projector).
 */
export async function logReplay<T>(
  log: EventLog,
  topic: string,
  decode: (bytes: Buffer) => T,
  batchSize: number,
): Promise<Replay<T>> {
  const ends = await log.endOffsets(topic);
  async function* batches(): AsyncGenerator<ReplayBatch<T>> {
    let before = 0;
    for (const [partition, end] of ends.entries()) {
      for (let offset = 0; offset < end;) {
        const records = (await log.read(topic, partition, offset, batchSize)).filter((r) => r.offset < end);
        if (!records.length) break;
        const from = records[0].offset;
        offset = records[records.length - 1].offset + 1;
        yield {
          events: records.flatMap((r) => decoded(decode, r.value)),
          token: `${topic}:${partition}:${from}-${offset - 1}`,
          done: before + offset,
        };
      }
      before += end;
    }
  }
  return { total: ends.reduce((a, b) => a + b, 0), batches: batches() };
}

/** The `events` archive, in its sort order (by project, trace and span). */
export async function archiveReplay(
  archive: EventArchive,
  batchSize: number,
): Promise<Replay<SightlineEvent>> {
  const total = await archive.count();
  async function* batches(): AsyncGenerator<ReplayBatch<SightlineEvent>> {
    let cursor: ArchiveCursor | null = null;
    let done = 0;
    do {
      const page = await archive.page(cursor, batchSize);
      done += page.rows;
      yield { events: page.events, token: `archive:${done}`, done };
      cursor = page.next;
    } while (cursor);
  }
  return { total, batches: batches() };
}
