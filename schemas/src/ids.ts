import { randomBytes } from 'node:crypto';
import { uuidv7 } from 'uuidv7';

/** Event ids are UUIDv7: time-ordered, and the idempotency key of the event. */
export const newEventId = (): string => uuidv7();

/** W3C trace-context sized ids: 16 bytes for traces, 8 for spans, in hex. */
export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');
