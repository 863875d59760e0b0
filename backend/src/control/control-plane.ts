import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  decodeControlEvent,
  encodeControlEvent,
  EventValidationError,
  type ControlEvent,
} from '@sightline/schemas';
import { EventLog, type LogRecord, type Subscription } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { emptyControlState, evolve, type ControlState } from './control-state';

const READ_CHUNK = 5000;

/** What a control-plane command decided: the events to append and what the caller gets back. */
export interface ControlDecision<R> {
  readonly events: readonly ControlEvent[];
  readonly result: R;
}

/**
 * The control plane's state on this instance: rebuilt from the control topic at start, then kept
 * current by tailing it, so a change made on any instance (a revoked key...) reaches all of them.
 */
@Injectable()
export class ControlPlane implements OnModuleInit, OnModuleDestroy {
  private state = emptyControlState();
  /** Events already applied: our own appends come back through the tail. */
  private readonly applied = new Set<string>();
  private readonly listeners = new Set<(event: ControlEvent) => void>();
  private tail: Subscription | undefined;

  constructor(@Inject(EventLog) private readonly log: EventLog) {}

  get current(): ControlState {
    return this.state;
  }

  async onModuleInit(): Promise<void> {
    // Tail first, then read everything up to the end: nothing falls in between; duplicates are skipped.
    this.tail = await this.log.tail([TOPICS.control], (records) =>
      records.forEach((r) => this.applyRecord(r)),
    );
    const ends = await this.log.endOffsets(TOPICS.control);
    for (const [partition, end] of ends.entries()) {
      for (let offset = 0; offset < end;) {
        const records = await this.log.read(TOPICS.control, partition, offset, READ_CHUNK);
        if (!records.length) break;
        records.forEach((r) => this.applyRecord(r));
        offset = records[records.length - 1].offset + 1;
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail?.stop();
  }

  /**
   * Run a control-plane command: `decide` sees the current state and returns the events to append
   * (or throws a typed error). The events are appended only if nothing else was appended since the
   * state it saw; on such a conflict the state catches up and `decide` runs again.
   * NOTE: the expected-version check is being built (issue 7.3); today this appends unconditionally.
   */
  async execute<R>(decide: (state: ControlState) => ControlDecision<R>): Promise<R> {
    const { events, result } = decide(this.state);
    if (events.length) await this.append(events);
    return result;
  }

  /** Append durably, then apply here at once (read-your-writes on this instance). */
  async append(events: readonly ControlEvent[]): Promise<void> {
    await this.log.append(
      TOPICS.control,
      events.map((e) => ({ key: e.entityKey, value: encodeControlEvent(e) })),
    );
    events.forEach((e) => this.apply(e));
  }

  private applyRecord(record: LogRecord): void {
    try {
      this.apply(decodeControlEvent(record.value));
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      // An invalid control record cannot change state; the audit projection dead-letters it.
    }
  }

  /** Called with every event applied from now on (state already updated). */
  onApplied(listener: (event: ControlEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(event: ControlEvent): void {
    if (this.applied.has(event.eventId)) return;
    this.applied.add(event.eventId);
    this.state = evolve(this.state, event);
    this.listeners.forEach((listener) => listener(event));
  }
}
