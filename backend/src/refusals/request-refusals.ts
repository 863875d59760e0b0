import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { newEventId, newSpanId, newTraceId, type GatewayRequestRefused } from '@sightline/schemas';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EventRecorder } from '../eventlog/event-recorder';
import { RefusalTally, type Refusal, type RefusalCount } from './refusal-tally';

export type { Refusal } from './refusal-tally';

/**
 * Makes every request the gateway refuses visible to its project: `note` counts it in memory (no
 * I/O on the request path), and every `GATEWAY_REFUSAL_WINDOW_MS` (10 s by default, at most a
 * minute) the counts go to the log as `gateway.request-refused` events, one per kind. What is
 * counted when the process dies before a flush is lost (a graceful stop flushes).
 */
@Injectable()
export class RequestRefusals implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RequestRefusals');
  private readonly tally = new RefusalTally();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Counts one refused request. Never throws. */
  note(refusal: Refusal): void {
    this.tally.add(refusal, this.clock.now());
  }

  onModuleInit(): void {
    this.loop = this.flushEvery(this.config.gatewayRefusalWindowMs);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.flush();
  }

  /** Records everything counted so far; resolves once it is in the log. */
  async flush(): Promise<void> {
    const counts = this.tally.drain();
    if (!counts.length) return;
    const at = this.clock.now();
    await this.recorder.record(counts.map((count) => refusedEvent(count, at)));
  }

  private async flushEvery(ms: number): Promise<void> {
    for (;;) {
      try {
        await this.clock.sleep(ms, this.stopping.signal);
      } catch {
        return; // stopping: onModuleDestroy flushes what is left
      }
      await this.flush().catch((error: unknown) => this.logger.error(error));
    }
  }
}

function refusedEvent({ projectId, data }: RefusalCount, at: Date): GatewayRequestRefused {
  return {
    eventId: newEventId(),
    type: 'gateway.request-refused',
    version: 1,
    occurredAt: at.toISOString(),
    projectId,
    // Not part of a trace: fresh ids spread the events over the log's partitions.
    traceId: newTraceId(),
    spanId: newSpanId(),
    source: 'gateway',
    data,
  };
}
