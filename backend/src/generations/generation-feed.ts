import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { GenerationRequested, LiveEvent, SightlineEvent } from '@sightline/schemas';
import { BoundedQueue } from '../live/bounded-queue';
import { LiveHub } from '../live/live-hub';
import { toGenerationRow } from './generation-row';
import { toGenerationView, type GenerationView } from './generation.view';
import { isEnded, spanKey } from './pair-generations';

const MAX_PENDING_REQUESTS = 50_000;

interface Subscriber {
  readonly queue: BoundedQueue<GenerationView>;
  readonly allowed: () => boolean;
}
const SUBSCRIBER_BUFFER = 500;

/**
 * Live generations: pairs each request with its end as events stream by, and pushes the
 * result to the subscribers of its project. In-flight requests live only here, in memory.
 */
@Injectable()
export class GenerationFeed implements OnModuleInit, OnModuleDestroy {
  private readonly pending = new Map<string, GenerationRequested>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private unlisten: (() => void) | undefined;

  constructor(@Inject(LiveHub) private readonly hub: LiveHub) {}

  onModuleInit(): void {
    this.unlisten = this.hub.listen((events) => events.forEach((e) => this.onEvent(e)));
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  /** A live stream of the project's generations, for as long as `allowed()` holds. */
  subscribe(projectId: string, allowed: () => boolean): BoundedQueue<GenerationView> {
    const set = this.subscribers.get(projectId) ?? new Set<Subscriber>();
    this.subscribers.set(projectId, set);
    const subscriber: Subscriber = {
      allowed,
      queue: new BoundedQueue(SUBSCRIBER_BUFFER, () => {
        set.delete(subscriber);
        if (!set.size) this.subscribers.delete(projectId);
      }),
    };
    set.add(subscriber);
    return subscriber.queue;
  }

  private onEvent(event: SightlineEvent | LiveEvent): void {
    if (event.type === 'generation.progressed') return;
    if (event.type === 'generation.requested') {
      this.remember(event);
      return;
    }
    if (!isEnded(event)) return;
    const key = spanKey(event.projectId, event.spanId);
    const requested = this.pending.get(key);
    this.pending.delete(key);
    const subscribers = this.subscribers.get(event.projectId);
    if (!subscribers?.size) return;
    const view = toGenerationView(toGenerationRow(requested, event));
    subscribers.forEach(({ queue, allowed }) => (allowed() ? queue.push(view) : void queue.return()));
  }

  private remember(event: GenerationRequested): void {
    if (this.pending.size >= MAX_PENDING_REQUESTS) {
      this.pending.delete(this.pending.keys().next().value!); // oldest first: Map keeps insertion order
    }
    this.pending.set(spanKey(event.projectId, event.spanId), event);
  }
}
