/**
 * The event-log port. Two adapters implement it: an embedded one on lmdb (one process, on disk)
 * and Kafka. Both pass the same contract suite (`testing/event-log.contract.ts`).
 *
 * Semantics every adapter keeps:
 * - records with the same key land in the same partition, in append order;
 * - a consumer group shares a topic's partitions among its live members;
 * - a batch belongs to one partition; the handler commits through its context; the next batch of
 *   that partition starts at the last committed offset, so records not committed are delivered again;
 * - a handler that throws ends its subscription (`done` rejects) without committing: a crash.
 */

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  /** Keep only the newest record per key (control-plane state). */
  readonly compacted?: boolean;
  readonly retentionMs?: number;
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

  /** Join `group` and receive batches until stopped. */
  abstract consume(options: ConsumeOptions, handler: BatchHandler): Promise<Subscription>;

  /** Follow `topics` from their current end, without a group; for live fan-out. */
  abstract tail(
    topics: readonly string[],
    onRecords: (records: readonly LogRecord[]) => void,
  ): Promise<Subscription>;

  /** Read up to `limit` records of one partition from `fromOffset`. */
  abstract read(topic: string, partition: number, fromOffset: number, limit: number): Promise<LogRecord[]>;

  /** Next offset to be written, per partition. */
  abstract endOffsets(topic: string): Promise<number[]>;

  abstract close(): Promise<void>;
}
