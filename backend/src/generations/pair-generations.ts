import type { GenerationRequested, SightlineEvent } from '@sightline/schemas';
import { toGenerationRow, type GenerationEnded, type GenerationRow } from './generation-row';

export const spanKey = (projectId: string, spanId: string): string => `${projectId}/${spanId}`;

export function isEnded(event: SightlineEvent): event is GenerationEnded {
  return (
    event.type === 'generation.completed' ||
    event.type === 'generation.failed' ||
    event.type === 'generation.cancelled'
  );
}

/** Requests of a batch by span, so their ends in the same batch find them. */
export function requestsBySpan(events: readonly SightlineEvent[]): Map<string, GenerationRequested> {
  const requests = new Map<string, GenerationRequested>();
  for (const event of events) {
    if (event.type === 'generation.requested') requests.set(spanKey(event.projectId, event.spanId), event);
  }
  return requests;
}

/** Rows for every generation that ended in `events`, given its request where known. */
export function generationRows(
  events: readonly SightlineEvent[],
  requests: ReadonlyMap<string, GenerationRequested>,
): GenerationRow[] {
  return events
    .filter(isEnded)
    .map((ended) => toGenerationRow(requests.get(spanKey(ended.projectId, ended.spanId)), ended));
}
