/**
 * The event-log port. Two adapters implement it: an embedded one on lmdb (one process, on disk)
 * and Kafka. Both pass the same contract suite (`backend/test/support/event-log.contract.ts`).
 *
 * Semantics every adapter keeps:
 * - records with the same key land in the same partition, in append order;
 * - a consumer group shares a topic's partitions among its live members;
 * - a batch belongs to one partition; the handler commits through its context; the next batch of
 *   that partition starts at the last committed offset, so records not committed are delivered again;
 * - a handler that throws ends its subscription (`done` rejects) without committing: a crash.
 *
 * Offsets need not be contiguous: Kafka's transaction markers take offsets that hold no record. A
 * position ("the next offset to read") is therefore reported by the log, never computed as last + 1.
 */

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Keep only the newest record per key (control-plane state). */
  readonly compacted?: boolean;
  readonly retentionMs?: number;
  /**
   * Short-lived records nobody reads past `retentionMs` (live progress): the embedded log drops them
   * then too, keeping each partition's newest record; otherwise it keeps everything. Kafka applies
   * retention to every topic.
   */
  readonly transient?: boolean;
}

export interface AppendRecord {
  readonly key: string;
  readonly value: Buffer;
}

export interface LogRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: string;
  readonly value: Buffer;
  /** Epoch milliseconds at append. */
  readonly timestamp: number;
}

/** A committed position: the next offset to read, and the group's note about it. */
export interface CommittedOffset {
  readonly offset: number;
  readonly metadata: string;
}

export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  /** Non-empty, ascending offsets. */
  readonly records: readonly LogRecord[];
  /** What the group had committed for this partition when the batch was handed over. */
  readonly committed: CommittedOffset;
}

export interface BatchContext {
  /** Commit `offset` (the next to read) with an optional note; resolves once durable. */
  commit(offset: number, metadata?: string): Promise<void>;
}

export type BatchHandler = (batch: PartitionBatch, context: BatchContext) => Promise<void>;

export interface ConsumeOptions {
  readonly group: string;
  readonly topics: readonly string[];
  /** Upper bound of records per batch. */
  readonly maxBatchSize?: number;
  /**
   * Upper bound of a batch's record values, in bytes; a record larger than this alone is handed over
   * alone. Bounds the memory of a large `maxBatchSize` when the records are big. Default: none.
   */
  readonly maxBatchBytes?: number;
  /**
   * Wait up to this long (ms, from the oldest unread record's append) for a batch to fill to
   * `maxBatchSize` before handing over a smaller one. A consumer whose every batch has a fixed cost
   * (a ClickHouse insert makes a part per table) trades this much latency for far fewer batches
   * under load. Default 0: hand over whatever is there.
   */
  readonly lingerMs?: number;
}

/** How far a tail has read one partition. */
export interface TailPosition {
  readonly topic: string;
  readonly partition: number;
  /** The next offset to read: past the records handed over and any markers after them. */
  readonly nextOffset: number;
}

/** Hands over records in offset order per partition; `records` may be empty when only markers were read. */
export type TailListener = (records: readonly LogRecord[], position: TailPosition) => void;

export interface TailOptions {
  /** Start at the beginning of every partition instead of its current end; default false. */
  readonly fromBeginning?: boolean;
}

/** A conditional append found the partition's end moved: someone else appended since. */
export class AppendConflictError extends Error {
  override readonly name = 'AppendConflictError';
  constructor(
    readonly topic: string,
    readonly expectedEnd: number,
  ) {
    super(`${topic} no longer ends at ${expectedEnd}: something was appended since`);
  }
}

/** A conditional append whose commit the log did not confirm: the records may or may not be in. */
export class AppendUncertainError extends Error {
  override readonly name = 'AppendUncertainError';
  constructor(
    readonly topic: string,
    override readonly cause: unknown,
  ) {
    super(`the outcome of an append to ${topic} is unknown: ${String(cause)}`);
  }
}

export interface Subscription {
  /** Finish the batch in hand, then leave the group. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: rejects with the handler's error after a crash. */
  readonly done: Promise<void>;
}

export abstract class EventLog {
  /** Create topics that do not exist yet; existing ones are left as they are. */
  abstract ensureTopics(specs: readonly TopicSpec[]): Promise<void>;

  /** Append durably; records of one call keep their order per key. */
  abstract append(topic: string, records: readonly AppendRecord[]): Promise<void>;

  /**
   * Optimistic concurrency: append `records` to a one-partition topic only if its end offset is
   * still `expectedEnd` — a position a tail of this topic reported (`TailPosition.nextOffset`), or
   * the result of the previous conditional append. Of two appends expecting the same end, at most
   * one succeeds, across processes. Meant for low-rate topics whose writers all append this way
   * (the control plane); plain `append`s to such a topic are not excluded.
   * @returns the new end: the position a tail reaches once it has read these records.
   * @throws AppendConflictError when anything was appended since. A refused append may still move
   *   the end (Kafka keeps its aborted records, unread): catch up to `endOffsets` before trying again.
   * @throws AppendUncertainError when the commit failed unconfirmed: read the log to know.
   * @throws RangeError when the topic has more than one partition.
   */
  abstract appendExpecting(
    topic: string,
    expectedEnd: number,
    records: readonly AppendRecord[],
  ): Promise<number>;

  /** Join `group` and receive batches until stopped. */
  abstract consume(options: ConsumeOptions, handler: BatchHandler): Promise<Subscription>;

  /**
   * Follow `topics` from their current end (or beginning), without a group: for live fan-out and
   * for state every instance keeps. A listener that throws ends the subscription (`done` rejects).
   */
  abstract tail(
    topics: readonly string[],
    onRecords: TailListener,
    options?: TailOptions,
  ): Promise<Subscription>;

  /** Read up to `limit` records of one partition from `fromOffset`. */
  abstract read(topic: string, partition: number, fromOffset: number, limit: number): Promise<LogRecord[]>;

  /** Per partition, the offset a reader reaches once it has read everything readable now. */
  abstract endOffsets(topic: string): Promise<number[]>;

  /** Per partition, what `group` has committed on `topic` (0 where it never committed): its lag is `endOffsets` minus these. */
  abstract committedOffsets(group: string, topic: string): Promise<number[]>;

  abstract close(): Promise<void>;
}

/**
 * How many of `records` (from `from` on) one batch takes: at most `maxCount`, and no more values
 * than `maxBytes` in all, yet always one. Both adapters cut their batches with it.
 */
export function batchLength(
  records: readonly { readonly value: Buffer }[],
  from: number,
  maxCount: number,
  maxBytes = Number.POSITIVE_INFINITY,
): number {
  const end = Math.min(records.length, from + maxCount);
  let bytes = records[from]?.value.length ?? 0;
  let i = from + 1;
  for (; i < end && bytes + records[i].value.length <= maxBytes; i++) bytes += records[i].value.length;
  return Math.min(i, records.length) - from;
}
