import { Inject, Injectable } from '@nestjs/common';
import type { ControlEvent } from '@sightline/schemas';
import { Clock } from '../common/clock';
import { SecretBox } from '../security/secret-box';
import { controlEvent } from './control-events';
import { ControlPlane, type ControlDecision } from './control-plane';
import { idempotencyKey, type ControlState } from './control-state';
import { randomId } from './credentials';
import {
  claimed,
  decideOnce,
  IdempotencyKeyInProgressError,
  recorded,
  settle,
  type OnceDecision,
  type OnceRequest,
} from './idempotency';

/** How long a retry waits for the first call with its key to finish before it is told to retry later (ms). */
const WAIT_FOR_FIRST_MS = 30_000;

/**
 * Mutations called with an idempotency key run once: a retry with the same key and input gets the
 * first call's result and writes nothing. The record lives on the control topic, so it holds across
 * restarts and for every instance that shares the log. Results are kept sealed (they may hold a
 * secret shown once, like a new API key). Without a key (`request` undefined) both calls run plainly.
 */
@Injectable()
export class Idempotency {
  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * `ControlPlane.execute` once per key: the decision's events and the record of its result are
   * appended together, so either both happened or neither did.
   * @throws IdempotencyKeyReusedError, IdempotencyKeyInProgressError, and what `decide` throws
   */
  async execute<R>(
    request: OnceRequest | undefined,
    decide: (state: ControlState) => ControlDecision<R>,
  ): Promise<R> {
    if (!request) return this.control.execute(decide);
    const first = await this.once<R>(request, (state, once) => {
      if (once.kind !== 'first') return { events: [], result: once };
      const now = this.clock.now();
      const decision = decide(state);
      const record = recorded(request, randomId('claim'), this.seal(request, decision.result), now, now);
      return {
        events: [...decision.events, controlEvent(request.actor, now, record)],
        result: { kind: 'ran' as const, result: decision.result },
      };
    });
    if (first.kind !== 'ran') throw new Error('unreachable: a first call ran its decision');
    return first.result;
  }

  /**
   * `work` once per key, for work outside the control plane (a replay calls a provider): the key is
   * claimed first, then the result recorded; if `work` throws, the key is released and a retry runs
   * again. A retry while the first call runs waits for its result (up to 30 s). A claim whose process
   * stopped lapses after `CLAIM_LEASE_MS`.
   * @throws IdempotencyKeyReusedError, IdempotencyKeyInProgressError, and what `work` throws
   */
  async run<R>(request: OnceRequest | undefined, work: () => Promise<R>): Promise<R> {
    if (!request) return work();
    const claimId = randomId('claim');
    const first = await this.once<R>(request, (_, once) =>
      once.kind === 'first'
        ? {
            events: [
              controlEvent(request.actor, this.clock.now(), claimed(request, claimId, this.clock.now())),
            ],
            result: once,
          }
        : { events: [], result: once },
    );
    if (first.kind === 'ran') return first.result;
    let result: R;
    try {
      result = await work();
    } catch (error) {
      await this.settle(request, claimId, null).catch(() => undefined); // the claim lapses anyway
      throw error;
    }
    await this.settle(request, claimId, this.seal(request, result));
    return result;
  }

  /** Decide with the key's record until the first call has a result (or this call is the first). */
  private async once<R>(
    request: OnceRequest,
    decide: (state: ControlState, once: OnceDecision) => ControlDecision<OnceDecision | Ran<R>>,
  ): Promise<Ran<R> | { kind: 'first' }> {
    const deadline = this.clock.monotonicMs() + WAIT_FOR_FIRST_MS;
    for (;;) {
      const outcome = await this.control.execute((state) =>
        decide(state, decideOnce(request, state, this.clock.now())),
      );
      if (outcome.kind === 'done') return { kind: 'ran', result: this.open<R>(request, outcome.resultEnc) };
      if (outcome.kind !== 'running') return outcome as Ran<R> | { kind: 'first' };
      const left = deadline - this.clock.monotonicMs();
      if (left <= 0) throw new IdempotencyKeyInProgressError();
      await this.recordChanged(request, left);
    }
  }

  private async settle(request: OnceRequest, claimId: string, resultEnc: string | null): Promise<void> {
    await this.control.execute((state) => ({
      events: settle(request, claimId, resultEnc, state, this.clock.now()).map((e) =>
        controlEvent(request.actor, this.clock.now(), e),
      ),
      result: undefined,
    }));
  }

  /** Resolves when the key's record changes (on this instance's copy of the state), or after `ms`. */
  private async recordChanged(request: OnceRequest, ms: number): Promise<void> {
    const key = idempotencyKey(request);
    const changed = new AbortController();
    const ours = (e: ControlEvent) =>
      (e.type === 'idempotency.claimed' ||
        e.type === 'idempotency.recorded' ||
        e.type === 'idempotency.released') &&
      idempotencyKey(e.data) === key;
    const stop = this.control.onApplied((e) => ours(e) && changed.abort());
    try {
      if (this.control.current.idempotency.get(key)?.status !== 'pending') return;
      await this.clock.sleep(ms, changed.signal).catch(() => undefined);
    } finally {
      stop();
    }
  }

  private seal(request: OnceRequest, result: unknown): string {
    return this.box.encrypt(JSON.stringify(result ?? null), boundTo(request));
  }

  private open<R>(request: OnceRequest, sealed: string): R {
    return JSON.parse(this.box.decrypt(sealed, boundTo(request))) as R;
  }
}

type Ran<R> = { readonly kind: 'ran'; readonly result: R };

/** A sealed result opens only on its own record. */
const boundTo = (request: OnceRequest): string => `idempotency:${idempotencyKey(request)}`;
