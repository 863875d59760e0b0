import { Inject, Injectable, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import {
  decodeControlEvent,
  encodeControlEvent,
  EventValidationError,
  type ControlEvent,
} from '@sightline/schemas';
import { StopSwitch } from '../common/abort';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { Random } from '../common/random';
import {
  AppendConflictError,
  AppendUncertainError,
  EventLog,
  type LogRecord,
  type Subscription,
  type TailPosition,
} from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { emptyControlState, evolve, type ControlState } from './control-state';

/** Injection token for another control topic than `TOPICS.control` (benchmarks, tests). */
export const CONTROL_TOPIC = Symbol('CONTROL_TOPIC');

/** How many times `execute` decides before it gives up on a busy control plane. */
const MAX_ATTEMPTS = 5;
/** The cap of the first wait after a lost append (ms); it doubles per attempt. */
const BACKOFF_BASE_MS = 40;

/**
 * How long to wait after losing append `attempt` (1-based): full jitter, uniform in
 * [0, 40 ms · 2^(attempt-1)). A lost append still takes offsets (aborted records and marker), so
 * two writers that retry at once spoil each other's expected end every round; a random wait lets
 * one of them commit while the other sleeps, which then decides again on the newer state.
 * @param random a number in [0, 1)
 */
export function backoffMs(attempt: number, random: number): number {
  return random * BACKOFF_BASE_MS * 2 ** (attempt - 1);
}

/** What a control-plane command decided: the events to append and what the caller gets back. */
export interface ControlDecision<R> {
  readonly events: readonly ControlEvent[];
  readonly result: R;
}

/**
 * The control plane's state on this instance: rebuilt from the control topic at start, then kept
 * current by tailing it, so a change made on any instance (a revoked key...) reaches all of them.
 * The topic has one partition; `version` is the offset of it the state has caught up to.
 */
@Injectable()
export class ControlPlane implements OnModuleInit, OnModuleDestroy {
  private state = emptyControlState();
  /** The end offset the state includes everything before: from the tail, or our own last append. */
  private version = 0;
  /** How far the tail has read. */
  private tailed = 0;
  private readonly waiters = new Set<() => void>();
  /** Events already applied: our own appends come back through the tail. */
  private readonly applied = new Set<string>();
  private readonly listeners = new Set<(event: ControlEvent) => void>();
  private tail: Subscription | undefined;
  /** Aborts the backoff waits of commands still running at shutdown. */
  private readonly stopping = new StopSwitch();

  constructor(
    @Inject(EventLog) private readonly log: EventLog,
    @Optional() @Inject(CONTROL_TOPIC) private readonly topic: string = TOPICS.control,
    @Optional() private readonly clock: Clock = new Clock(),
    @Optional() private readonly random: Random = new Random(),
  ) {}

  get current(): ControlState {
    return this.state;
  }

  /** Rebuild: one tail from the beginning, caught up to the end seen now, then kept following. */
  async onModuleInit(): Promise<void> {
    this.tail = await this.log.tail([this.topic], (records, position) => this.onTailed(records, position), {
      fromBeginning: true,
    });
    await this.catchUp();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.stop();
    await this.tail?.stop();
  }

  /**
   * Run a control-plane command. `decide` sees the current state and returns the events to append
   * and the result, or throws a typed error (which `execute` passes on). The events are appended
   * only if nothing was appended since the state `decide` saw; otherwise the state catches up with
   * the topic and `decide` runs again, after a jittered backoff (see `backoffMs`), up to 5 times in
   * all. An append whose outcome the log could not confirm counts as done once its events show up
   * in the caught-up state.
   * @throws ConflictError (`kind: 'conflict'`, reason `busy`) when every attempt lost a race.
   */
  async execute<R>(decide: (state: ControlState) => ControlDecision<R>): Promise<R> {
    const uncertain: ControlDecision<R>[] = [];
    for (let attempt = 1; ; attempt++) {
      const version = this.version;
      const decision = decide(this.state);
      if (!decision.events.length) return decision.result;
      try {
        const end = await this.log.appendExpecting(
          this.topic,
          version,
          decision.events.map((e) => ({ key: e.entityKey, value: encodeControlEvent(e) })),
        );
        decision.events.forEach((e) => this.apply(e)); // read-your-writes on this instance
        this.version = Math.max(this.version, end);
        return decision.result;
      } catch (error) {
        if (error instanceof AppendUncertainError) uncertain.push(decision);
        else if (!(error instanceof AppendConflictError)) throw error;
      }
      // Wait first, so the catch-up sees what the winner committed meanwhile.
      if (attempt < MAX_ATTEMPTS)
        await this.stopping.during((signal) =>
          this.clock.sleep(backoffMs(attempt, this.random.next()), signal),
        );
      await this.catchUp();
      this.version = this.tailed;
      const landed = uncertain.find((d) => d.events.every((e) => this.applied.has(e.eventId)));
      if (landed) return landed.result;
      if (attempt === MAX_ATTEMPTS) {
        throw new ConflictError('The control plane changed meanwhile; try again.', 'busy');
      }
    }
  }

  /** Append `events` whatever the state: `execute` with a decision that needs none. */
  async append(events: readonly ControlEvent[]): Promise<void> {
    await this.execute(() => ({ events, result: undefined }));
  }

  /** Resolves once the tail has read everything readable when called; rejects if the tail ended. */
  private async catchUp(): Promise<void> {
    const [end] = await this.log.endOffsets(this.topic);
    let wake!: () => void;
    const reached = new Promise<void>((resolve) => (wake = resolve));
    const check = () => this.tailed >= end && wake();
    this.waiters.add(check);
    try {
      check();
      const ended = this.tail!.done.then(() => {
        throw new Error('the control topic tail has stopped');
      });
      ended.catch(() => undefined); // only the race below reports it
      await Promise.race([reached, ended]);
    } finally {
      this.waiters.delete(check);
    }
  }

  private onTailed(records: readonly LogRecord[], position: TailPosition): void {
    records.forEach((r) => this.applyRecord(r));
    this.tailed = position.nextOffset;
    this.version = Math.max(this.version, this.tailed);
    this.waiters.forEach((check) => check());
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
