import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  decodeEvent,
  decodeLiveEvent,
  EventValidationError,
  type LiveEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { EventLog, type LogRecord, type Subscription } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';

export type LiveListener = (events: readonly (SightlineEvent | LiveEvent)[]) => void;

/**
 * Tails the LLM topic and the live topic (progress of in-flight generations) from their end and
 * fans every valid event out to in-process listeners. The two topics are not ordered with each
 * other: a progress event may come before its request or after its end. Invalid records are skipped
 * here; the projector dead-letters the LLM topic's. With no listener, records are not even decoded.
 */
@Injectable()
export class LiveHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly listeners = new Set<LiveListener>();
  private tail: Subscription | undefined;

  constructor(@Inject(EventLog) private readonly log: EventLog) {}

  async onApplicationBootstrap(): Promise<void> {
    this.tail = await this.log.tail([TOPICS.llm, TOPICS.live], (records) => this.fanOut(records));
  }

  async onModuleDestroy(): Promise<void> {
    await this.tail?.stop();
  }

  listen(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private fanOut(records: readonly LogRecord[]): void {
    // Nobody listens most of the time: decoding every record for no one cost ingestion ~5 % of its CPU.
    if (!this.listeners.size) return;
    const events = records.flatMap((r) => decodeOrSkip(r));
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
