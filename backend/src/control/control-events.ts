import { newEventId, type Actor, type ControlEvent } from '@sightline/schemas';

type Body<E extends ControlEvent> = Pick<E, 'type' | 'entityKey' | 'projectId' | 'data'>;

/** Wrap a change in its envelope. */
export function controlEvent<E extends ControlEvent>(actor: Actor, at: Date, body: Body<E>): E {
  return { eventId: newEventId(), version: 1, occurredAt: at.toISOString(), actor, ...body } as E;
}

export const SYSTEM: Actor = { userId: null, via: 'system' };
