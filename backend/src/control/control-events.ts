import { newEventId, type Actor, type ControlEvent } from '@sightline/schemas';

/** An event as a decision states it: what changed, before the envelope (id, time, actor) is added. */
export type NewControlEvent = {
  [T in ControlEvent['type']]: Pick<
    Extract<ControlEvent, { type: T }>,
    'type' | 'entityKey' | 'projectId' | 'data'
  >;
}[ControlEvent['type']];

/** Wrap a change in its envelope. */
export function controlEvent<E extends NewControlEvent>(actor: Actor, at: Date, body: E): ControlEvent {
  return { eventId: newEventId(), version: 1, occurredAt: at.toISOString(), actor, ...body } as ControlEvent;
}

export const SYSTEM: Actor = { userId: null, via: 'system' };
