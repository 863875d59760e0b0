import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  GenerationProgressed,
  GenerationRequested,
  LiveEvent,
  SightlineEvent,
} from '@sightline/schemas';
import { BoundedQueue } from '../live/bounded-queue';
import { LiveHub } from '../live/live-hub';
import { EVERYTHING, selects, type LiveSelection, type RequestRow } from '../live/live-filter';
import { toGenerationRow, type GenerationEnded, type GenerationRow } from './generation-row';
import { ingestedGeneration } from './ingested-generation';
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
  readonly selection: LiveSelection;
}

/** The columns of a generation its request already decides, for matching it while in flight. */
function requestRow(requested: GenerationRequested): RequestRow {
  const d = requested.data;
  return {
    trace_id: requested.traceId,
    started_at: requested.occurredAt,
    model: d.model,
    served_model: '',
    provider: d.provider,
    source: requested.source,
    user_id: requested.endUserId ?? d.user ?? '',
    session_id: d.sessionId ?? '',
    api_key_id: d.apiKeyId ?? '',
    tags: d.tags,
    metadata: d.metadata,
  };
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

  /**
   * The project's generations in `selection` as they end, for as long as `allowed()` holds (a
   * validated selection: see `validateSelection`).
   */
  subscribe(
    projectId: string,
    allowed: () => boolean,
    selection: LiveSelection = EVERYTHING,
  ): BoundedQueue<GenerationView> {
    return this.join(
      this.recorded,
      projectId,
      allowed,
      selection,
      (close) => new BoundedQueue(SUBSCRIBER_BUFFER, close),
    );
  }

  /**
   * The project's generations in `selection` while they run (those in flight at once) and when they
   * end. In flight, the selection's request fields decide; at the end, the whole row — but a
   * generation shown in flight always gets its final row.
   */
  subscribeLive(
    projectId: string,
    allowed: () => boolean,
    selection: LiveSelection = EVERYTHING,
  ): LiveSubscriber {
    const subscriber = this.join(
      this.live,
      projectId,
      allowed,
      selection,
      (close) => new LiveSubscriber(SUBSCRIBER_BUFFER, (key) => this.inFlight.get(key), close),
    );
    for (const [key, generation] of this.inFlight) {
      const requested = generation.requested;
      if (requested?.projectId === projectId && selects(selection, requestRow(requested), 'request'))
        subscriber.changed(key);
    }
    return subscriber;
  }

  private join<Q>(
    registry: Map<string, Set<Subscriber<Q>>>,
    projectId: string,
    allowed: () => boolean,
    selection: LiveSelection,
    create: (close: () => void) => Q,
  ): Q {
    const set = registry.get(projectId) ?? new Set<Subscriber<Q>>();
    registry.set(projectId, set);
    const subscriber: Subscriber<Q> = {
      allowed,
      selection,
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
    else if (event.type === 'span.recorded' && this.watched(event.projectId)) {
      const row = ingestedGeneration(event);
      if (row) this.deliverEnded(event.projectId, spanKey(event.projectId, event.spanId), row);
    }
  }

  private started(event: GenerationRequested): void {
    const key = spanKey(event.projectId, event.spanId);
    this.generation(key).requested = event;
    this.notifyInFlight(event.projectId, key, requestRow(event));
  }

  private progressed(event: GenerationProgressed): void {
    const key = spanKey(event.projectId, event.spanId);
    if (this.recentlyEnded.has(key)) return;
    const generation = this.generation(key);
    if (generation.apply(event) && generation.requested)
      this.notifyInFlight(event.projectId, key, requestRow(generation.requested));
  }

  private ended(event: GenerationEnded): void {
    const key = spanKey(event.projectId, event.spanId);
    const requested = this.inFlight.get(key)?.requested;
    this.inFlight.delete(key);
    this.recentlyEnded.add(key);
    if (this.recentlyEnded.size > MAX_RECENTLY_ENDED) {
      this.recentlyEnded.delete(this.recentlyEnded.values().next().value!);
    }
    if (this.watched(event.projectId))
      this.deliverEnded(event.projectId, key, toGenerationRow(requested, event));
  }

  private watched(projectId: string): boolean {
    return Boolean(this.recorded.get(projectId)?.size || this.live.get(projectId)?.size);
  }

  /** The final row to the project's subscribers whose selection takes it (live ones that saw it in flight too). */
  private deliverEnded(projectId: string, key: string, row: GenerationRow): void {
    const view = toGenerationView(row);
    this.recorded.get(projectId)?.forEach(({ queue, allowed, selection }) => {
      if (!allowed()) void queue.return();
      else if (selects(selection, row, 'all')) queue.push(view);
    });
    this.live.get(projectId)?.forEach(({ queue, allowed, selection }) => {
      if (!allowed()) void queue.return();
      else queue.ended(key, view, selects(selection, row, 'all'));
    });
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

  /** Tells the project's live subscribers whose selection takes the request; one no longer allowed is ended instead. */
  private notifyInFlight(projectId: string, key: string, row: RequestRow): void {
    this.live.get(projectId)?.forEach(({ queue, allowed, selection }) => {
      if (!allowed()) void queue.return();
      else if (selects(selection, row, 'request')) queue.changed(key);
    });
  }
}
