import { Logger } from '@nestjs/common';
import {
  encodeEventAsLogged,
  EventValidationError,
  TooDeepError,
  type SightlineEvent,
} from '@sightline/schemas';
import { redactEvent } from '../security/redact-event';
import type { AppendRecord, EventLog } from './event-log';
import type { Outbox } from './outbox';
import { TOPICS } from './topics';

const RETRY_MS = [100, 250, 500, 1000, 2000, 5000];

/** A record as `encode` makes it, with the event its bytes hold (redacted, normalised). */
export interface EncodedEvent extends AppendRecord {
  readonly event: SightlineEvent;
}

/** Sees each batch on its way to the log (see `onAppending`). */
export type AppendingListener = (records: readonly EncodedEvent[]) => void;

/** Events still to encode (`record`), or records `encode` made already (`append`). */
type Work = { readonly events: readonly SightlineEvent[] } | { readonly records: readonly EncodedEvent[] };

interface Pending {
  readonly work: Work;
  readonly settle: () => void;
}

/**
 * Appends LLM events in order, off the request path: serving never waits for the log, nor for
 * redaction and validation. `record` only queues; one drain loop then redacts, validates and encodes
 * everything queued meanwhile and appends it in one call, retrying until the log takes it. The
 * drain starts on the next turn of the event loop, after what the caller does next (sending its
 * response), and concurrent calls share an append.
 * An event that does not validate is a bug, not bad input: it is logged and counted, never thrown,
 * so recording never fails a call.
 * With an `outbox` (Kafka), a call resolves once its events are on local disk and the outbox relays
 * them; without (the embedded lmdb log, itself on local disk) once they are in the log. Callers
 * that answer after it resolves (ingestion, and the gateway, which ends its answer then) lose
 * nothing they answered to a kill -9 of this process.
 */
export class EventRecorder {
  private readonly logger = new Logger(EventRecorder.name);
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private refusedEvents = 0;
  private readonly listeners = new Set<AppendingListener>();

  /**
   * @param redact what makes an event fit to record (credentials masked, the project's rules applied)
   * @param outbox the durable local outbox in front of a remote log (Kafka); none on the embedded log
   */
  constructor(
    private readonly log: EventLog,
    private readonly redact: (event: SightlineEvent) => SightlineEvent = redactEvent,
    private readonly outbox?: Outbox,
  ) {}

  /** Queue `events`; resolves once they are in the log (a refused one is logged instead). */
  record(events: readonly SightlineEvent[]): Promise<void> {
    return this.enqueue({ events });
  }

  /**
   * The record `event` is appended as: redacted, normalised and validated, here and now, so a
   * caller that answers per event (ingestion) learns at once which one is refused, and validates
   * nothing twice. Throws EventValidationError.
   */
  encode(event: SightlineEvent): EncodedEvent {
    try {
      return { key: event.traceId, ...encodeEventAsLogged(this.redact(event)) };
    } catch (error) {
      if (error instanceof TooDeepError) throw new EventValidationError(`event ${error.message}`);
      throw error;
    }
  }

  /** Queue records made by `encode`; resolves once they are in the log. */
  append(records: readonly EncodedEvent[]): Promise<void> {
    return this.enqueue({ records });
  }

  /**
   * Hand every batch to `listener` as it goes to the log, in append order, before the append (the
   * live view of this process shows it without reading it back). Returns the unsubscribe.
   */
  onAppending(listener: AppendingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private enqueue(work: Work): Promise<void> {
    const appended = new Promise<void>((settle) => this.queue.push({ work, settle }));
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
    return appended;
  }

  /** Wait until everything recorded so far is in the log. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    await this.outbox?.flush();
  }

  /** Events refused (invalid, never appended) since start. */
  get refused(): number {
    return this.refusedEvents;
  }

  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length) {
      const items = this.queue;
      this.queue = [];
      const records = items.flatMap(({ work }) =>
        'records' in work ? work.records : work.events.flatMap((event) => this.encodeOrLog(event)),
      );
      if (records.length) {
        this.tell(records);
        await (this.outbox ? this.outbox.put(records) : this.appendWithRetry(records));
      }
      items.forEach((item) => item.settle());
    }
  }

  /** A listener that throws is logged: the live view never stops recording. */
  private tell(records: readonly EncodedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(records);
      } catch (error) {
        this.logger.error(
          `a listener failed on ${records.length} recorded events: ${(error as Error).message}`,
        );
      }
    }
  }

  private encodeOrLog(event: SightlineEvent): EncodedEvent[] {
    try {
      return [this.encode(event)];
    } catch (error) {
      this.refusedEvents++;
      // The message names the event and the failed rule, never a recorded value.
      this.logger.error(
        `${event.type} ${event.spanId} not recorded (${this.refusedEvents} so far): ${(error as Error).message}`,
      );
      return [];
    }
  }

  private async appendWithRetry(records: AppendRecord[]): Promise<void> {
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
