import { Logger } from '@nestjs/common';
import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { redactEvent } from '../security/redact-event';
import type { EventLog } from './event-log';
import { TOPICS } from './topics';

const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

/**
 * Appends LLM events in order, off the request path: serving never waits for the log.
 * Events are redacted and validated when recorded (a bug, not bad input, if that throws), then appended
 * by one drain loop that retries until the log takes them.
 * Pending events live in memory for now; a durable local outbox replaces this queue later.
 */
export class EventRecorder {
  private readonly logger = new Logger(EventRecorder.name);
  private queue: { encoded: { key: string; value: Buffer }[]; settle: () => void }[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly log: EventLog) {}

  /** Validate and queue; the promise resolves once the events are in the log. */
  record(events: readonly SightlineEvent[]): Promise<void> {
    const encoded = events.map((e) => ({ key: e.traceId, value: encodeEvent(redactEvent(e)) }));
    const appended = new Promise<void>((settle) => this.queue.push({ encoded, settle }));
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    return appended;
  }

  /** Wait until everything recorded so far is in the log. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const items = this.queue;
      this.queue = [];
      await this.appendWithRetry(items.flatMap((i) => i.encoded));
      items.forEach((i) => i.settle());
    }
  }

  private async appendWithRetry(records: { key: string; value: Buffer }[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.log.append(TOPICS.llm, records);
      } catch (error) {
        const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
        this.logger.warn(
          `append of ${records.length} events failed (${(error as Error).message}); retry in ${wait} ms`,
        );
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}
