import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type {
  GenerationProgressed,
  GenerationRequested,
  LiveEvent,
  SightlineEvent,
} from '@sightline/schemas';
import { BoundedQueue } from '../live/bounded-queue';
import { LiveHub } from '../live/live-hub';
import {
  compileSelection,
  EVERYTHING,
  PreparedRow,
  type LiveSelection,
  type RequestRow,
} from '../live/live-filter';
import { SelectionIndex } from '../live/selection-index';
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
/** What a subscriber may leave unread when more arrives (a burst on top is kept whole). */
const SUBSCRIBER_BUFFER = 500;

interface Subscriber<Q> {
  readonly queue: Q;
  readonly allowed: () => boolean;
}

/** A project's subscribers of one kind, by selection. */
type Registry<Q> = Map<string, SelectionIndex<Subscriber<Q>>>;

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
  private readonly recorded: Registry<BoundedQueue<GenerationView | Error>> = new Map();
  private readonly live: Registry<LiveSubscriber> = new Map();
  /**
   * The live subscribers told of each generation in flight: they get its final row even when it
   * no longer matches their selection (a view they started is always ended).
   */
  private readonly watchers = new Map<string, Set<LiveSubscriber>>();
  private unlisten: (() => void) | undefined;

  constructor(@Inject(LiveHub) private readonly hub: LiveHub) {}

  onModuleInit(): void {
    this.unlisten = this.hub.listen((events) => this.onEvents(events));
  }

  onModuleDestroy(): void {
    this.unlisten?.();
  }

  /**
   * The project's generations in `selection` as they end, for as long as `allowed()` holds (a
   * validated selection: see `validateSelection`). A subscriber still more than 500 behind when
   * more arrive loses the oldest (one burst always arrives whole: see `BoundedQueue`); its next
   * read is then `missedNotice(how many)` (the transport's error saying so).
   */
  subscribe(
    projectId: string,
    allowed: () => boolean,
    selection: LiveSelection = EVERYTHING,
    missedNotice?: (missed: number) => Error,
  ): BoundedQueue<GenerationView | Error> {
    return this.join(
      this.recorded,
      projectId,
      allowed,
      selection,
      (close) => new BoundedQueue<GenerationView | Error>(SUBSCRIBER_BUFFER, close, missedNotice),
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
    const selects = compileSelection(selection);
    for (const [key, generation] of this.inFlight) {
      const requested = generation.requested;
      if (requested?.projectId === projectId && selects(new PreparedRow(requestRow(requested)), 'request'))
        this.tell(subscriber, key);
    }
    return subscriber;
  }

  private join<Q>(
    registry: Registry<Q>,
    projectId: string,
    allowed: () => boolean,
    selection: LiveSelection,
    create: (close: () => void) => Q,
  ): Q {
    const index = registry.get(projectId) ?? new SelectionIndex<Subscriber<Q>>();
    registry.set(projectId, index);
    const subscriber: Subscriber<Q> = {
      allowed,
      queue: create(() => {
        index.delete(subscriber);
        if (!index.size && registry.get(projectId) === index) registry.delete(projectId);
      }),
    };
    index.add(subscriber, selection);
    return subscriber.queue;
  }

  private onEvents(events: readonly (SightlineEvent | LiveEvent)[]): void {
    this.endDisallowed(events);
    for (const event of events) this.onEvent(event);
  }

  /**
   * Ends the subscriptions whose caller may no longer read their project, in each project `events`
   * touch: once per batch of events, not once per event and subscriber, and before any is delivered.
   */
  private endDisallowed(events: readonly (SightlineEvent | LiveEvent)[]): void {
    let previous: string | undefined;
    for (const { projectId } of events) {
      if (projectId === previous) continue;
      previous = projectId;
      for (const registry of [this.recorded, this.live] as Registry<AsyncIterator<unknown>>[])
        registry.get(projectId)?.forEach(({ queue, allowed }) => {
          if (!allowed()) void queue.return!();
        });
    }
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
    const watchers = this.watchers.get(key);
    this.watchers.delete(key);
    if (this.watched(event.projectId))
      this.deliverEnded(event.projectId, key, toGenerationRow(requested, event), watchers);
  }

  private watched(projectId: string): boolean {
    return Boolean(this.recorded.get(projectId)?.size || this.live.get(projectId)?.size);
  }

  /** The final row to the project's subscribers whose selection takes it, and to the live ones that saw it in flight. */
  private deliverEnded(
    projectId: string,
    key: string,
    row: GenerationRow,
    watchers: ReadonlySet<LiveSubscriber> = new Set(),
  ): void {
    const prepared = new PreparedRow(row);
    let view: GenerationView | undefined;
    const viewOf = () => (view ??= toGenerationView(row));
    this.recorded.get(projectId)?.matching(prepared, 'all', ({ queue }) => queue.push(viewOf()));
    const told = new Set<LiveSubscriber>();
    this.live.get(projectId)?.matching(prepared, 'all', ({ queue }) => {
      told.add(queue);
      queue.ended(key, viewOf(), true);
    });
    for (const watcher of watchers) if (!told.has(watcher)) watcher.ended(key, viewOf(), false);
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

  /** Tells the project's live subscribers whose selection takes the request. */
  private notifyInFlight(projectId: string, key: string, row: RequestRow): void {
    this.live.get(projectId)?.matching(new PreparedRow(row), 'request', ({ queue }) => this.tell(queue, key));
  }

  /** `subscriber` is told the generation under `key` changed, and so gets its end. */
  private tell(subscriber: LiveSubscriber, key: string): void {
    let watchers = this.watchers.get(key);
    if (!watchers) {
      // Bounded like the in-flight generations (an end that never comes leaves its watchers here).
      if (this.watchers.size >= MAX_IN_FLIGHT) this.watchers.delete(this.watchers.keys().next().value!);
      this.watchers.set(key, (watchers = new Set()));
    }
    watchers.add(subscriber);
    subscriber.changed(key);
  }
}
