import type { EventBatch, Refused } from './event-consumer';
import { killPoints } from './kill-point';

/** One step of a consumer's batch, e.g. a read model's projection. Idempotent per dedup token. */
export interface Stage<T> {
  readonly name: string;
  apply(batch: EventBatch<T>): Promise<void>;
}

/** Whether an error is a deterministic refusal of some of the batch's events (not an outage). */
export type IsPoison = (error: unknown) => boolean;

/**
 * Find the events a stage refuses by splitting the batch in halves until they are alone.
 * Sub-batches get tokens derived from the parent's (`/a`, `/b`), so a retry after a crash
 * splits the same way and inserts the same blocks. Any other error is thrown: retry later.
 */
async function isolate<T>(
  stage: Stage<T>,
  events: readonly T[],
  dedupToken: string,
  isPoison: IsPoison,
): Promise<Refused<T>[]> {
  if (!events.length) return [];
  try {
    await stage.apply({ events, dedupToken });
    return [];
  } catch (error) {
    if (!isPoison(error)) throw error;
    if (events.length === 1) {
      return [{ event: events[0], reason: `refused by ${stage.name}`, message: (error as Error).message }];
    }
    const half = Math.ceil(events.length / 2);
    return [
      ...(await isolate(stage, events.slice(0, half), `${dedupToken}/a`, isPoison)),
      ...(await isolate(stage, events.slice(half), `${dedupToken}/b`, isPoison)),
    ];
  }
}

/**
 * Apply the stages in order. Events a stage refuses are left out of the later stages and
 * returned; the rest of the batch goes on, so one bad event never stops a partition.
 */
export async function applyStages<T>(
  stages: readonly Stage<T>[],
  batch: EventBatch<T>,
  isPoison: IsPoison,
): Promise<Refused<T>[]> {
  const refused: Refused<T>[] = [];
  let events = batch.events;
  for (const stage of stages) {
    const refusedHere = await isolate(stage, events, batch.dedupToken, isPoison);
    killPoints.reached('stage-applied');
    if (!refusedHere.length) continue;
    refused.push(...refusedHere);
    const left = new Set(refusedHere.map((r) => r.event));
    events = events.filter((e) => !left.has(e));
  }
  return refused;
}
