import type { AppendRecord } from '../eventlog/event-log';

/**
 * Records this process appended and already delivered itself, until its tail of the log reads them
 * back: those are skipped there, so each event reaches the listeners once. Records carry no origin,
 * so they are matched by topic, key and bytes (every event has its own id, so no two records of
 * different events are equal). At most `max` are remembered: `remember` refuses past that (the log
 * is slow or down), and the tail delivers those instead.
 */
export class OwnRecords {
  private readonly byKey = new Map<string, Buffer[]>();
  private count = 0;

  constructor(private readonly max: number) {}

  /** Remember all of `records`, or none when they do not fit; whether they were. */
  remember(topic: string, records: readonly AppendRecord[]): boolean {
    if (this.count + records.length > this.max) return false;
    for (const { key, value } of records) {
      const id = idOf(topic, key);
      const values = this.byKey.get(id);
      if (values) values.push(value);
      else this.byKey.set(id, [value]);
    }
    this.count += records.length;
    return true;
  }

  /** Whether `record` of `topic` is one remembered; if so, it is forgotten (a second copy is not ours). */
  forget(topic: string, record: AppendRecord): boolean {
    const id = idOf(topic, record.key);
    const values = this.byKey.get(id);
    const at = values ? values.findIndex((value) => value.equals(record.value)) : -1;
    if (at < 0) return false;
    values!.splice(at, 1);
    if (!values!.length) this.byKey.delete(id);
    this.count--;
    return true;
  }

  /** Records remembered, not read back yet. */
  get size(): number {
    return this.count;
  }
}

const idOf = (topic: string, key: string): string => `${topic}\u0000${key}`;
