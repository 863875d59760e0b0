import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

// Ids are minted several times per gateway call: draw their randomness from a pool refilled 4 KiB
// at a time rather than asking the OS each time (Node's randomUUID does the same; uuidv7's own
// buffer holds 8 words). Ids are not secrets.
const pool = Buffer.alloc(4096);
let used = pool.length;

/** Where `bytes` fresh random bytes start in `pool`. */
function take(bytes: number): number {
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += bytes;
  return used - bytes;
}

const randomHex = (bytes: number): string => {
  const at = take(bytes);
  return pool.toString('hex', at, at + bytes);
};

const v7 = new V7Generator({ nextUint32: () => pool.readUInt32LE(take(4)) });

/** Event ids are UUIDv7: time-ordered, and the idempotency key of the event. */
export const newEventId = (): string => v7.generate().toString();

/** W3C trace-context sized ids: 16 bytes for traces, 8 for spans, in hex. */
export const newTraceId = (): string => randomHex(16);
export const newSpanId = (): string => randomHex(8);
