import type { SightlineEvent } from '@sightline/schemas';
import type { Stage } from '../eventlog/stages';

/**
 * A read model's writer, fed by the projector. `apply` must be idempotent for a given batch:
 * insert with `batch.dedupToken` so a retried batch writes nothing new.
 */
export type Projection<T = SightlineEvent> = Stage<T>;
