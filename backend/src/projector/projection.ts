import type { EventBatch } from '../eventlog/event-consumer';

/**
 * A read model fed by the projector. `apply` must be idempotent for a given batch:
 * insert with `batch.dedupToken` so a retried batch writes nothing new.
 */
export interface Projection {
  readonly name: string;
  apply(batch: EventBatch): Promise<void>;
}

/** Injection token: the projections, in the order they are applied to each batch. */
export const PROJECTIONS = Symbol('PROJECTIONS');
