import { Inject, Injectable, Logger } from '@nestjs/common';
import { encodeLiveEventAsLogged, type LiveEvent } from '@sightline/schemas';
import { EventLog } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { LiveHub, type LocalRecord } from '../live/live-hub';
import { ProjectRedaction } from '../redaction/project-redaction';

/** Progress events waiting for the log; past this (the log is slow or down) new ones are dropped. */
const MAX_QUEUED = 10_000;

/**
 * Appends live progress to the live topic, off the request path: `publish` only queues; a drain on
 * the next turn redacts, validates and appends everything queued meanwhile in one call. Best effort,
 * unlike the LLM events: progress is transient (the end event carries the whole output), so a failed
 * append or a full queue drops it, logged, and is never retried.
 */
@Injectable()
export class ProgressPublisher {
  private readonly logger = new Logger(ProgressPublisher.name);
  private queue: (() => LiveEvent)[] = [];
  private draining: Promise<void> | undefined;
  private droppedEvents = 0;

  constructor(
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(ProjectRedaction) private readonly redaction: ProjectRedaction,
    @Inject(LiveHub) private readonly hub: LiveHub,
  ) {}

  /** Queue the event `build` makes (built on the drain, not on the request path). */
  publish(build: () => LiveEvent): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.droppedEvents++;
      return;
    }
    this.queue.push(build);
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Progress events dropped since start (full queue, invalid, or a failed append). */
  get dropped(): number {
    return this.droppedEvents;
  }

  private async drain(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.queue.length) {
      const builds = this.queue;
      this.queue = [];
      const records = builds.flatMap((build) => this.encode(build));
      if (!records.length) continue;
      this.hub.local(TOPICS.live, records);
      try {
        await this.log.append(TOPICS.live, records);
      } catch (error) {
        this.hub.unappended(TOPICS.live, records);
        this.droppedEvents += records.length;
        this.logger.warn(`${records.length} progress events dropped: ${(error as Error).message}`);
      }
    }
  }

  private encode(build: () => LiveEvent): LocalRecord[] {
    try {
      const event = build();
      return [{ key: event.traceId, ...encodeLiveEventAsLogged(this.redaction.event(event)) }];
    } catch (error) {
      this.droppedEvents++;
      this.logger.error(`progress event not published: ${(error as Error).message}`);
      return [];
    }
  }
}
