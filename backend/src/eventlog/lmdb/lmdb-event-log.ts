import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import {
  AppendConflictError,
  EventLog,
  type AppendRecord,
  type BatchHandler,
  type CommittedOffset,
  type ConsumeOptions,
  type LogRecord,
  type Subscription,
  type TailListener,
  type TailOptions,
  type TopicSpec,
} from '../event-log';
import { GroupCoordinator, partitionId, type PartitionId } from './group-coordinator';
import { partitionOf } from './partitioner';
import { Signal, ThreadBroadcast } from './signal';

type RecordKey = [topic: string, partition: number, offset: number];
type OffsetKey = [group: string, topic: string, partition: number];
interface StoredRecord {
  readonly k: string;
  readonly v: Buffer;
  readonly ts: number;
}

const IDLE_POLL_MS = 500;
const DEFAULT_BATCH = 1000;
const TRIM_EVERY_MS = 60_000;

export class UnknownTopicError extends Error {
  constructor(topic: string) {
    super(`unknown topic ${topic}; create it with ensureTopics first`);
  }
}

/**
 * The embedded event log: records in lmdb under ordered keys (topic, partition, offset),
 * committed offsets beside them, consumer groups coordinated in this process.
 * One data folder belongs to one process, like chDB's; its threads may each open it (the projector's
 * thread does): appends wake the other threads' consumers, and offsets are assigned inside the write
 * transaction. A consumer group must live on one thread.
 */
export class LmdbEventLog extends EventLog {
  private readonly topics: Database<TopicSpec, string>;
  private readonly records: Database<StoredRecord, RecordKey>;
  private readonly offsets: Database<CommittedOffset, OffsetKey>;
  /** Next offset to write, per partition; kept in memory so appends assign offsets synchronously. */
  private readonly next = new Map<PartitionId, number>();
  private readonly groups = new Map<string, GroupCoordinator>();
  private readonly appended = new Signal();
  private readonly otherThreads: ThreadBroadcast;
  private readonly subscriptions = new Set<Subscription>();
  /** The running tails: what this opening appended since each last read (see {@link TailState}). */
  private readonly tailStates = new Set<TailState>();
  private readonly specs = new Map<string, TopicSpec>();
  private readonly trimmedAt = new Map<string, number>();

  private constructor(
    private readonly root: RootDatabase,
    path: string,
  ) {
    super();
    this.otherThreads = new ThreadBroadcast(`sightline-lmdb:${resolve(path)}`, () => {
      for (const state of this.tailStates) state.dirty = 'all';
      this.appended.notify();
    });
    this.topics = root.openDB({ name: 'topics' });
    this.records = root.openDB({ name: 'records' });
    this.offsets = root.openDB({ name: 'offsets' });
  }

  static open(path: string): LmdbEventLog {
    mkdirSync(path, { recursive: true });
    return new LmdbEventLog(open({ path, compression: false }), path);
  }

  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (!this.topics.get(spec.name)) await this.topics.put(spec.name, spec);
    }
  }

  /** A topic's spec; kept once read (one is never changed after it was created), not read per append. */
  private spec(topic: string): TopicSpec {
    const known = this.specs.get(topic);
    if (known) return known;
    const spec = this.topics.get(topic);
    if (!spec) throw new UnknownTopicError(topic);
    this.specs.set(topic, spec);
    return spec;
  }

  /** The offset after the partition's last record, as lmdb has it now (a seek to its last key). */
  private endOf(topic: string, partition: number): number {
    const [last] = Array.from(
      this.records.getKeys({
        start: [topic, partition, Number.MAX_SAFE_INTEGER],
        end: [topic, partition, -1],
        reverse: true,
        limit: 1,
      }),
    );
    return last ? last[2] + 1 : 0;
  }

  /**
   * The next offset to write; inside a write transaction only. Cached, and checked against lmdb
   * because another thread of this process (the projector's) may have appended to the same topic.
   */
  private nextOffset(topic: string, partition: number): number {
    const id = partitionId(topic, partition);
    const cached = this.next.get(id);
    if (cached !== undefined && !this.records.doesExist([topic, partition, cached])) return cached;
    const next = this.endOf(topic, partition);
    this.next.set(id, next);
    return next;
  }

  async append(topic: string, records: readonly AppendRecord[]): Promise<void> {
    await this.write(topic, records);
  }

  /** The check and the write run in one lmdb transaction callback: nothing can slip in between. */
  async appendExpecting(
    topic: string,
    expectedEnd: number,
    records: readonly AppendRecord[],
  ): Promise<number> {
    if (this.spec(topic).partitions !== 1) {
      throw new RangeError(`conditional appends need a one-partition topic; ${topic} has more`);
    }
    const written = await this.write(topic, records, () => this.nextOffset(topic, 0) === expectedEnd);
    if (!written) throw new AppendConflictError(topic, expectedEnd);
    return expectedEnd + records.length;
  }

  /** Appends unless `allowed` says no at write time; resolves to whether it wrote. */
  private async write(
    topic: string,
    records: readonly AppendRecord[],
    allowed = () => true,
  ): Promise<boolean> {
    const spec = this.spec(topic);
    const { partitions } = spec;
    const ts = Date.now();
    // Callbacks run in call order, one at a time, and lmdb commits them in that order.
    const appended: { id: PartitionId; record: LogRecord }[] = [];
    const written = await this.records.transaction(() => {
      if (!allowed()) return false;
      // Checked against lmdb once per partition: while this transaction runs, nobody else writes.
      const ends = new Map<number, number>();
      for (const record of records) {
        const partition = partitionOf(record.key, partitions);
        const offset = ends.get(partition) ?? this.nextOffset(topic, partition);
        ends.set(partition, offset + 1);
        const id = partitionId(topic, partition);
        this.next.set(id, offset + 1);
        this.records.put([topic, partition, offset], { k: record.key, v: record.value, ts });
        if (this.tailStates.size) {
          const { key, value } = record;
          appended.push({ id, record: { topic, partition, offset, key, value, timestamp: ts } });
        }
      }
      return true;
    });
    for (const state of this.tailStates) {
      for (const { id, record } of appended) state.appended(id, record);
    }
    this.appended.notify();
    this.otherThreads.post();
    if (spec.transient) this.trimExpired(spec, ts);
    return written;
  }

  /** Drops a transient topic's records past their retention, keeping each partition's newest (its offset). */
  private trimExpired({ name, partitions, retentionMs = 0 }: TopicSpec, now: number): void {
    if (now - (this.trimmedAt.get(name) ?? 0) < Math.min(TRIM_EVERY_MS, retentionMs)) return;
    this.trimmedAt.set(name, now);
    void this.records.transaction(() => {
      for (let partition = 0; partition < partitions; partition++) {
        const newest = this.endOf(name, partition) - 1;
        const older = this.records.getRange({ start: [name, partition, 0], end: [name, partition, newest] });
        for (const { key, value } of older) {
          if (value.ts >= now - retentionMs) break;
          this.records.remove(key);
        }
      }
    });
  }

  async read(topic: string, partition: number, fromOffset: number, limit: number): Promise<LogRecord[]> {
    return this.readSync(topic, partition, fromOffset, limit);
  }

  /** Up to `limit` records from `fromOffset`, stopping before `maxBytes` of values (always one). */
  private readSync(
    topic: string,
    partition: number,
    fromOffset: number,
    limit: number,
    maxBytes = Number.POSITIVE_INFINITY,
  ): LogRecord[] {
    const range = this.records.getRange({
      start: [topic, partition, fromOffset],
      end: [topic, partition, Number.MAX_SAFE_INTEGER],
      limit,
    });
    const out: LogRecord[] = [];
    let bytes = 0;
    for (const { key, value } of range) {
      bytes += value.v.length;
      if (out.length && bytes > maxBytes) break;
      out.push({
        topic,
        partition,
        offset: key[2],
        key: value.k,
        value: Buffer.from(value.v),
        timestamp: value.ts,
      });
    }
    return out;
  }

  async endOffsets(topic: string): Promise<number[]> {
    const { partitions } = this.spec(topic);
    return Array.from({ length: partitions }, (_, p) => this.endOf(topic, p));
  }

  async committedOffsets(group: string, topic: string): Promise<number[]> {
    const { partitions } = this.spec(topic);
    return Array.from({ length: partitions }, (_, p) => this.committed(group, topic, p).offset);
  }

  private partitionsOf(topics: readonly string[]): { topic: string; partition: number; id: PartitionId }[] {
    return topics.flatMap((topic) =>
      Array.from({ length: this.spec(topic).partitions }, (_, partition) => ({
        topic,
        partition,
        id: partitionId(topic, partition),
      })),
    );
  }

  private committed(group: string, topic: string, partition: number): CommittedOffset {
    return this.offsets.get([group, topic, partition]) ?? { offset: 0, metadata: '' };
  }

  async consume(options: ConsumeOptions, handler: BatchHandler): Promise<Subscription> {
    const partitions = this.partitionsOf(options.topics);
    const ids = partitions.map((p) => p.id);
    const maxBatch = options.maxBatchSize ?? DEFAULT_BATCH;
    const coordinator = this.groups.get(options.group) ?? new GroupCoordinator();
    this.groups.set(options.group, coordinator);
    const member = Symbol(options.group);
    coordinator.join(member);

    const lingerMs = options.lingerMs ?? 0;
    const stopping = new Signal();
    let stopped = false;
    /** When the earliest lingering partition is due (epoch ms), if one is lingering. */
    let lingerUntil = Infinity;
    const pollOnce = async (): Promise<boolean> => {
      let worked = false;
      lingerUntil = Infinity;
      for (const { topic, partition, id } of partitions) {
        if (stopped || !coordinator.owns(member, ids, id)) continue;
        worked =
          (await coordinator.withLock(id, async () => {
            if (stopped || !coordinator.owns(member, ids, id)) return false;
            const committed = this.committed(options.group, topic, partition);
            const due = this.lingeringUntil(topic, partition, committed.offset, maxBatch, lingerMs);
            if (due !== undefined) {
              lingerUntil = Math.min(lingerUntil, due);
              return false;
            }
            const records = this.readSync(
              topic,
              partition,
              committed.offset,
              maxBatch,
              options.maxBatchBytes,
            );
            if (!records.length) return false;
            await handler(
              { topic, partition, records, committed },
              {
                commit: (offset, metadata = '') =>
                  this.offsets
                    .put([options.group, topic, partition], { offset, metadata })
                    .then(() => undefined),
              },
            );
            return true;
          })) || worked;
      }
      return worked;
    };

    const done = (async () => {
      try {
        while (!stopped) {
          if ((await pollOnce()) || stopped) continue;
          // Lingering: appends would only wake us to find the batch still short, so sleep it out.
          if (lingerUntil < Infinity) await stopping.wait(Math.max(1, lingerUntil - Date.now()));
          else await this.appended.wait(IDLE_POLL_MS);
        }
      } finally {
        coordinator.leave(member);
        this.appended.notify(); // let the others pick up our partitions
      }
    })();
    return this.track(done, () => {
      stopped = true;
      this.appended.notify();
      stopping.notify();
    });
  }

  /**
   * When a partition's short batch is due, if it should wait for more records: fewer than
   * `maxBatch` are there and the oldest was appended less than `lingerMs` ago. Undefined: go now.
   */
  private lingeringUntil(
    topic: string,
    partition: number,
    from: number,
    maxBatch: number,
    lingerMs: number,
  ): number | undefined {
    if (lingerMs <= 0) return undefined;
    const available = this.endOf(topic, partition) - from;
    if (available <= 0 || available >= maxBatch) return undefined;
    const [oldest] = this.readSync(topic, partition, from, 1);
    const due = (oldest?.timestamp ?? 0) + lingerMs;
    return due > Date.now() ? due : undefined;
  }

  async tail(
    topics: readonly string[],
    onRecords: TailListener,
    options: TailOptions = {},
  ): Promise<Subscription> {
    const positions = this.partitionsOf(topics).map((p) => ({
      ...p,
      offset: options.fromBeginning ? 0 : this.endOf(p.topic, p.partition),
    }));
    let stopped = false;
    const state = new TailState(new Set(positions.map((p) => p.id)));
    this.tailStates.add(state);
    const done = (async () => {
      try {
        while (!stopped) {
          let delivered = false;
          const due = state.dirty;
          const next = (state.dirty = new Set<PartitionId>());
          for (const position of positions) {
            const { topic, partition, id } = position;
            if (due !== 'all' && !due.has(id)) continue;
            const records =
              state.takeOwn(id, position.offset, DEFAULT_BATCH) ??
              this.readSync(topic, partition, position.offset, DEFAULT_BATCH);
            if (!records.length) {
              state.drop(id); // held ones lmdb no longer has (trimmed): never delivered, as before
              continue;
            }
            position.offset = records[records.length - 1].offset + 1;
            delivered = true;
            // A full batch may have left more behind, and so may records still held.
            if (records.length === DEFAULT_BATCH || state.holds(id)) next.add(id);
            onRecords(records, { topic, partition, nextOffset: position.offset });
          }
          if (!delivered && !stopped && !(await this.appended.wait(IDLE_POLL_MS))) state.dirty = 'all';
        }
      } finally {
        this.tailStates.delete(state);
      }
    })();
    return this.track(done, () => {
      stopped = true;
      this.appended.notify();
    });
  }

  private track(done: Promise<void>, requestStop: () => void): Subscription {
    const subscription: Subscription = {
      done,
      stop: async () => {
        requestStop();
        await done.catch(() => undefined);
        this.subscriptions.delete(subscription);
      },
    };
    done.catch(() => undefined); // a crash is reported through `done`, not as an unhandled rejection
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.otherThreads.close();
    await this.root.close();
  }
}

/**
 * What a running tail has not read yet of what this opening appended: the partitions to look at on
 * the next wake-up (`dirty`; `all` after another thread appended or the idle poll ran out, when any
 * may hold new records), and the records themselves, so that the tail hands them on from memory
 * instead of reading them back from lmdb (a read costs a seek, a decode and a copy each; the live
 * hub tails every gateway call's events only to skip its own).
 */
class TailState {
  dirty: Set<PartitionId> | 'all' = 'all';
  /** Per partition, in offset order; another thread's records may sit in the gaps. */
  private readonly own = new Map<PartitionId, LogRecord[]>();

  constructor(private readonly partitions: ReadonlySet<PartitionId>) {}

  /** `record` was appended to `id` by this opening, committed. */
  appended(id: PartitionId, record: LogRecord): void {
    if (!this.partitions.has(id)) return;
    const held = this.own.get(id);
    if (!held) this.own.set(id, [record]);
    else {
      held.push(record);
      if (held.length > 1 && held[held.length - 2].offset > record.offset)
        held.sort((a, b) => a.offset - b.offset);
    }
    if (this.dirty !== 'all') this.dirty.add(id);
  }

  /**
   * Up to `limit` held records of `id` from offset `from` on, when the one at `from` is held
   * (those before `from` were read already and are dropped); undefined when it is not: lmdb has it.
   */
  takeOwn(id: PartitionId, from: number, limit: number): LogRecord[] | undefined {
    const held = this.own.get(id);
    if (!held) return undefined;
    let start = 0;
    while (start < held.length && held[start].offset < from) start++;
    let end = start;
    while (end < held.length && end - start < limit && held[end].offset === from + (end - start)) end++;
    const taken = held.slice(start, end);
    const rest = held.slice(end);
    if (rest.length) this.own.set(id, rest);
    else this.own.delete(id);
    return taken.length ? taken : undefined;
  }

  drop(id: PartitionId): void {
    this.own.delete(id);
  }

  /** Whether records of `id` are still held (after a gap, or past a batch). */
  holds(id: PartitionId): boolean {
    return this.own.has(id);
  }
}
