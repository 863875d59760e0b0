import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { open, type RootDatabase } from 'lmdb';
import type { AppendRecord, EventLog } from './event-log';

interface Entry {
  readonly k: string;
  readonly v: Buffer;
}

const RELAY_BATCH = 5000;
const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * The durable local outbox in front of a remote log (Kafka): `put` returns once the records are
 * committed and flushed to this machine's disk (lmdb under `path`), so what a caller was told is
 * accepted survives a kill -9 of this process, and an unreachable broker never stalls a request.
 * A relay appends them to `topic` in order in the background and deletes what the log took; on
 * start it relays what a previous run left. Delivery is at-least-once: a process killed between an
 * append and its delete appends those records again on restart (read models keyed by event id fold
 * them; see the issue note). One folder belongs to one process.
 */
export class Outbox {
  private readonly logger = new Logger(Outbox.name);
  private next: number;
  private relaying: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly db: RootDatabase<Entry, number>,
    private readonly log: EventLog,
    private readonly topic: string,
  ) {
    const [last] = Array.from(db.getKeys({ reverse: true, limit: 1 }));
    this.next = (last ?? -1) + 1;
    if (this.next > 0) this.wake();
  }

  static open(path: string, log: EventLog, topic: string): Outbox {
    mkdirSync(path, { recursive: true });
    return new Outbox(open<Entry, number>({ path, compression: false }), log, topic);
  }

  /** Resolves once `records` are on disk here; they reach the log soon after. */
  async put(records: readonly AppendRecord[]): Promise<void> {
    const first = this.next;
    this.next += records.length;
    await this.db.transaction(() =>
      records.forEach((r, i) => void this.db.put(first + i, { k: r.key, v: r.value })),
    );
    await this.db.flushed;
    this.wake();
  }

  /** Records not yet in the log. */
  get pending(): number {
    return this.db.getCount();
  }

  /** Wait until everything put so far is in the log. */
  async flush(): Promise<void> {
    while (this.relaying) await this.relaying;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.db.close();
  }

  private wake(): void {
    this.relaying ??= this.relay().finally(() => (this.relaying = undefined));
  }

  private async relay(): Promise<void> {
    for (let attempt = 0; !this.closed;) {
      const entries = Array.from(this.db.getRange({ limit: RELAY_BATCH }));
      if (!entries.length) return;
      try {
        await this.log.append(
          this.topic,
          entries.map(({ value }) => ({ key: value.k, value: Buffer.from(value.v) })),
        );
      } catch (error) {
        const wait = RETRY_MS[Math.min(attempt++, RETRY_MS.length - 1)];
        this.logger.warn(
          `relay of ${entries.length} records failed (${(error as Error).message}); retry in ${wait} ms`,
        );
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      attempt = 0;
      await this.db.transaction(() => entries.forEach(({ key }) => void this.db.remove(key)));
    }
  }
}
