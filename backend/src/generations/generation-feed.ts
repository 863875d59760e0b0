import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  GenerationProgressed,
  GenerationRequested,
  LiveEvent,
  SightlineEvent,
} from '@sightline/schemas';
import { BoundedQueue } from '../live/bounded-queue';
import { LiveHub } from '../live/live-hub';
import { toGenerationRow, type GenerationEnded } from './generation-row';
import { toGenerationView, type GenerationView } from './generation.view';
import { InFlightGeneration } from './in-flight-generation';
import { LiveSubscriber } from './live-subscriber';
import { isEnded, spanKey } from './pair-generations';

/** In-flight generations kept; past this the oldest is forgotten (its end still shows). */
const MAX_IN_FLIGHT = 50_000;
/** Ended spans remembered, so that progress arriving after the end is dropped. */
const MAX_RECENTLY_ENDED = 10_000;
const SUBSCRIBER_BUFFER = 500;

interface Subscriber<Q> {
  readonly queue: Q;
  readonly allowed: () => boolean;
}

/**
 * Live generations: follows each one from its request through its progress (output growing while
 * it streams) to its end, and pushes them to the subscribers of its project — ended rows to
 * `subscribe`, the whole lifecycle to `subscribeLive`. In-flight generations live only here, in memory.
 */
@Injectable()
export class GenerationFeed implements OnModuleInit, OnModuleDestroy {
  private readonly inFlight = new Map<string, InFlightGeneration>();
  private readonly recentlyEnded = new Set<string>();
  private readonly recorded = new Map<string, Set<Subscriber<BoundedQueue<GenerationView>>>>();
  private readonly live = new Map<string, Set<Subscriber<LiveSubscriber>>>();
  private unlisten: (() => void) | undefined;

  constructor(@Inject(LiveHub) private readonly hub: LiveHub) {}

  onModuleInit(): void {
    this.unlisten = this.hub.listen((events) => events.forEach((e) => this.onEvent(e)));
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  /** The project's generations as they end, for as long as `allowed()` holds. */
  subscribe(projectId: string, allowed: () => boolean): BoundedQueue<GenerationView> {
    return this.join(
      this.recorded,
      projectId,
      allowed,
      (close) => new BoundedQueue(SUBSCRIBER_BUFFER, close),
    );
  }

  /** The project's generations while they run (those in flight at once) and when they end. */
  subscribeLive(projectId: string, allowed: () => boolean): LiveSubscriber {
    const subscriber = this.join(
      this.live,
      projectId,
      allowed,
      (close) => new LiveSubscriber(SUBSCRIBER_BUFFER, (key) => this.inFlight.get(key), close),
    );
    for (const [key, generation] of this.inFlight) {
      if (generation.requested?.projectId === projectId) subscriber.changed(key);
    }
    return subscriber;
  }

  private join<Q>(
    registry: Map<string, Set<Subscriber<Q>>>,
    projectId: string,
    allowed: () => boolean,
    create: (close: () => void) => Q,
  ): Q {
    const set = registry.get(projectId) ?? new Set<Subscriber<Q>>();
    registry.set(projectId, set);
    const subscriber: Subscriber<Q> = {
      allowed,
      queue: create(() => {
        set.delete(subscriber);
        if (!set.size) registry.delete(projectId);
      }),
    };
    set.add(subscriber);
    return subscriber.queue;
  }

  private onEvent(event: SightlineEvent | LiveEvent): void {
    if (event.type === 'generation.requested') this.started(event);
    else if (event.type === 'generation.progressed') this.progressed(event);
    else if (isEnded(event)) this.ended(event);
  }

  private started(event: GenerationRequested): void {
    const key = spanKey(event.projectId, event.spanId);
    this.generation(key).requested = event;
    this.notify(event.projectId, (s) => s.changed(key));
  }

  private progressed(event: GenerationProgressed): void {
    const key = spanKey(event.projectId, event.spanId);
    if (this.recentlyEnded.has(key)) return;
    const generation = this.generation(key);
    if (generation.apply(event) && generation.requested) this.notify(event.projectId, (s) => s.changed(key));
  }

  private ended(event: GenerationEnded): void {
    const key = spanKey(event.projectId, event.spanId);
    const requested = this.inFlight.get(key)?.requested;
    this.inFlight.delete(key);
    this.recentlyEnded.add(key);
    if (this.recentlyEnded.size > MAX_RECENTLY_ENDED) {
      this.recentlyEnded.delete(this.recentlyEnded.values().next().value!);
    }
    if (!this.recorded.get(event.projectId)?.size && !this.live.get(event.projectId)?.size) return;
    const view = toGenerationView(toGenerationRow(requested, event));
    this.recorded
      .get(event.projectId)
      ?.forEach(({ queue, allowed }) => (allowed() ? queue.push(view) : void queue.return()));
    this.notify(event.projectId, (s) => s.ended(key, view));
  }

  /** The in-flight generation under `key`, created when new (the oldest forgotten past the bound). */
  private generation(key: string): InFlightGeneration {
    let generation = this.inFlight.get(key);
    if (!generation) {
      if (this.inFlight.size >= MAX_IN_FLIGHT) this.inFlight.delete(this.inFlight.keys().next().value!);
      this.inFlight.set(key, (generation = new InFlightGeneration()));
    }
    return generation;
  }

  /** Tells the project's live subscribers; one no longer allowed is ended instead. */
  private notify(projectId: string, tell: (subscriber: LiveSubscriber) => void): void {
    this.live
      .get(projectId)
      ?.forEach(({ queue, allowed }) => (allowed() ? tell(queue) : void queue.return()));
  }
}
