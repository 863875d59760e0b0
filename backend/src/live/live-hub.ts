import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  decodeEvent,
  decodeLiveEvent,
  EventValidationError,
  type LiveEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { EventLog, type AppendRecord, type LogRecord, type Subscription } from '../eventlog/event-log';
import { EventRecorder } from '../eventlog/event-recorder';
import { TOPICS } from '../eventlog/topics';
import { OwnRecords } from './own-records';

export type LiveListener = (events: readonly (SightlineEvent | LiveEvent)[]) => void;

/** A record this process appends, with the event its bytes hold. */
export interface LocalRecord extends AppendRecord {
  readonly event: SightlineEvent | LiveEvent;
}

/**
 * Records this process appended but its tail has not read back yet; past this (the log is slow or
 * down) new ones are left to the tail.
 */
const MAX_OWN_RECORDS = 20_000;

/**
 * Fans the LLM topic and the live topic (progress of in-flight generations) out to in-process
 * listeners, every valid event once. What this process appends comes in-process, as it goes to the
 * log (`local`): the recorder's batches and the progress publisher's, not decoded back from the
 * log. What other processes append (Kafka, or a shared embedded log) comes from a tail of both
 * topics from their end, which skips this process's own records. The two topics are not ordered
 * with each other: a progress event may come before its request or after its end. Invalid records
 * are skipped here; the projector dead-letters the LLM topic's.
 */
@Injectable()
export class LiveHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listeners = new Set<LiveListener>();
  private readonly own = new OwnRecords(MAX_OWN_RECORDS);
  private tail: Subscription | undefined;
  private unhook: (() => void) | undefined;

  constructor(
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.tail = await this.log.tail([TOPICS.llm, TOPICS.live], (records) => this.fromTail(records));
    // Only now: a record remembered before the tail started would never be read back.
    this.unhook = this.recorder.onAppending((records) => this.local(TOPICS.llm, records));
  }

  async onModuleDestroy(): Promise<void> {
    this.unhook?.();
    await this.tail?.stop();
  }

  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `records` this process is appending to `topic`, to deliver now (not again when the tail reads them). */
  local(topic: string, records: readonly LocalRecord[]): void {
    // Nobody listens most of the time (no API role), and the tail skips nothing then either.
    if (!this.tail || !this.listeners.size || !this.own.remember(topic, records)) return;
    this.fanOut(records.map((r) => r.event));
  }

  /** `records` given to `local` that did not reach the log after all: the tail will not read them back. */
  unappended(topic: string, records: readonly LocalRecord[]): void {
    for (const record of records) this.own.forget(topic, record);
  }

  private fromTail(records: readonly LogRecord[]): void {
    const events: (SightlineEvent | LiveEvent)[] = [];
    for (const record of records) {
      if (this.own.size && this.own.forget(record.topic, record)) continue;
      // Decoding every record for no one cost ingestion ~5 % of its CPU.
      if (this.listeners.size) events.push(...decodeOrSkip(record));
    }
    this.fanOut(events);
  }

  private fanOut(events: readonly (SightlineEvent | LiveEvent)[]): void {
    if (events.length) this.listeners.forEach((listener) => listener(events));
  }
}

function decodeOrSkip(record: LogRecord): (SightlineEvent | LiveEvent)[] {
  try {
    return [record.topic === TOPICS.live ? decodeLiveEvent(record.value) : decodeEvent(record.value)];
  } catch (error) {
    if (error instanceof EventValidationError) return [];
    throw error;
  }
}
