import { decodeEvent, EventValidationError, type SightlineEvent } from '@sightline/schemas';
import type { ConsumeOptions, EventLog, LogRecord, PartitionBatch, Subscription } from './event-log';
import { killPoints } from './kill-point';
import { TOPICS } from './topics';

export interface EventBatch<T = SightlineEvent> {
  readonly events: readonly T[];
  /**
   * Same records → same token, across crashes and restarts: pass it as ClickHouse's
   * `insert_deduplication_token` (with a suffix per table) so a retried insert is a no-op.
   */
  readonly dedupToken: string;
}

export interface DeadLetter {
  readonly reason: string;
  readonly issues: readonly { path: string; message: string }[];
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: string;
}

/** An event a consumer could not take, with why; it goes to the dead-letter topic. */
export interface Refused<T> {
  readonly event: T;
  readonly reason: string;
  readonly message: string;
}

export interface EventBatchContext<T> {
  /** Send these events of the batch to the dead-letter topic; resolves with what was appended. */
  deadLetter(refused: readonly Refused<T>[]): Promise<readonly DeadLetter[]>;
}

interface InFlight {
  readonly from: number;
  readonly to: number;
}

function parseInFlight(metadata: string): InFlight | undefined {
  if (!metadata.startsWith('{')) return undefined;
  const value = JSON.parse(metadata) as Partial<InFlight>;
  return typeof value.from === 'number' && typeof value.to === 'number' ? (value as InFlight) : undefined;
}

/**
 * A retried batch must hold exactly the records of the attempt that crashed, or its dedup token
 * would not match. So the range is committed as metadata before the batch is processed, and
 * a redelivery is cut back to that range (`until`: its last offset, when retrying).
 */
export function recordsToProcess(batch: PartitionBatch): {
  records: readonly LogRecord[];
  retrying: boolean;
  until: number;
} {
  const inFlight = parseInFlight(batch.committed.metadata);
  const last = batch.records[batch.records.length - 1].offset;
  if (!inFlight || batch.records[0].offset !== inFlight.from)
    return { records: batch.records, retrying: false, until: last };
  return {
    records: batch.records.filter((r) => r.offset <= inFlight.to),
    retrying: true,
    until: inFlight.to,
  };
}

/**
 * The records of a retried range that the redelivery fell short of: Kafka hands over what one fetch
 * brought (bounded in bytes), which may end before the range the crashed attempt took.
 */
async function wholeRange(
  log: EventLog,
  batch: PartitionBatch,
  records: readonly LogRecord[],
  until: number,
): Promise<readonly LogRecord[]> {
  const all = [...records];
  for (let last = all[all.length - 1].offset; last < until; last = all[all.length - 1].offset) {
    const more = (await log.read(batch.topic, batch.partition, last + 1, until - last)).filter(
      (r) => r.offset <= until,
    );
    if (!more.length)
      throw new Error(`${batch.topic}[${batch.partition}] no longer holds ${last + 1}-${until}`);
    all.push(...more);
  }
  return all;
}

function toDeadLetter(
  record: LogRecord,
  reason: string,
  issues: readonly { path: string; message: string }[],
): DeadLetter {
  return {
    reason,
    issues,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
    key: record.key,
    value: record.value.toString('utf8'),
  };
}

async function appendDeadLetters(log: EventLog, dead: readonly DeadLetter[]): Promise<readonly DeadLetter[]> {
  if (dead.length) {
    await log.append(
      TOPICS.deadLetter,
      dead.map((d) => ({ key: d.key, value: Buffer.from(JSON.stringify(d)) })),
    );
  }
  return dead;
}

/** Decode a batch; records that fail validation go to the dead-letter topic instead. */
async function decodeOrDeadLetter<T>(
  log: EventLog,
  records: readonly LogRecord[],
  decode: (bytes: Buffer) => T,
): Promise<Map<T, LogRecord>> {
  const decoded = new Map<T, LogRecord>();
  const dead: DeadLetter[] = [];
  for (const record of records) {
    try {
      decoded.set(decode(record.value), record);
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      dead.push(toDeadLetter(record, error.reason, error.issues));
    }
  }
  await appendDeadLetters(log, dead);
  return decoded;
}

/**
 * Consume events in batches with effectively-once processing: validate (dead-letter the invalid),
 * hand the batch over with a deterministic dedup token, commit only after the handler succeeded.
 */
export function consumeEvents<T = SightlineEvent>(
  log: EventLog,
  options: ConsumeOptions,
  handler: (batch: EventBatch<T>, context: EventBatchContext<T>) => Promise<void>,
  decode: (bytes: Buffer) => T = decodeEvent as (bytes: Buffer) => T,
): Promise<Subscription> {
  return log.consume(options, async (batch, context) => {
    const cut = recordsToProcess(batch);
    const records = cut.retrying ? await wholeRange(log, batch, cut.records, cut.until) : cut.records;
    const from = records[0].offset;
    const to = cut.until;
    if (!cut.retrying) await context.commit(from, JSON.stringify({ from, to }));
    killPoints.reached('range-noted');
    const decoded = await decodeOrDeadLetter(log, records, decode);
    const deadLetter = (refused: readonly Refused<T>[]) =>
      appendDeadLetters(
        log,
        refused.map(({ event, reason, message }) => {
          const record = decoded.get(event);
          if (!record) throw new Error('dead-letter: not an event of this batch');
          return toDeadLetter(record, reason, [{ path: '', message }]);
        }),
      );
    if (decoded.size) {
      await handler(
        {
          events: [...decoded.keys()],
          dedupToken: `${options.group}:${batch.topic}:${batch.partition}:${from}-${to}`,
        },
        { deadLetter },
      );
    }
    killPoints.reached('batch-applied');
    await context.commit(to + 1);
    killPoints.reached('committed');
  });
}
