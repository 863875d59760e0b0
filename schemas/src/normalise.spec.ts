import { newEventId } from './ids';
import { mapJsonStrings, MAX_EVENT_DEPTH, normaliseForLog, TooDeepError, wellFormedText } from './normalise';
import { decodeEvent, encodeEvent, EventValidationError } from './validation';
import type { GenerationRequested } from './events/generation';

const requested = (content: unknown, user?: string): GenerationRequested => ({
  eventId: newEventId(),
  occurredAt: '2026-11-25T10:00:00.000Z',
  projectId: 'proj_1',
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  source: 'gateway',
  ...(user ? { endUserId: user } : {}),
  type: 'generation.requested',
  version: 2,
  data: {
    provider: 'mock',
    model: 'mock-1',
    messages: [{ role: 'user', content: content as string }],
    params: {},
    stream: false,
    ...(user ? { user } : {}),
    tags: [],
    metadata: {},
  },
});

describe('normalising what is recorded', () => {
  it('replaces lone surrogates with U+FFFD and keeps pairs, NUL and other text', () => {
    expect(wellFormedText('a\ud800b\udc00c')).toBe('a\uFFFDb\uFFFDc');
    expect(wellFormedText('end\ud83d')).toBe('end\uFFFD');
    expect(wellFormedText('emoji \ud83d\ude00 nul \u0000 ok')).toBe('emoji \ud83d\ude00 nul \u0000 ok');
  });

  it('normalises every string of an event, keys and the end user included, on encode', () => {
    const event = requested([{ type: 'text', text: 'x\ud800', ['k\udc00']: 1 }], 'u\ud800');
    const decoded = decodeEvent(encodeEvent(event)) as GenerationRequested;
    expect(decoded.endUserId).toBe('u\uFFFD');
    expect(decoded.data.user).toBe('u\uFFFD');
    expect(decoded.data.messages[0].content).toEqual([{ type: 'text', text: 'x\uFFFD', ['k\uFFFD']: 1 }]);
    expect(normaliseForLog(decoded)).toEqual(decoded); // normalising again changes nothing
  });

  it('copies only what changes, and never changes its input', () => {
    const input = { same: { deep: ['a', 1] }, changed: { text: 'x\ud800', keep: ['b'] }, n: 2 };
    const before = structuredClone(input);

    const out = mapJsonStrings(input, wellFormedText) as typeof input;

    expect(out).toEqual({ same: { deep: ['a', 1] }, changed: { text: 'x\uFFFD', keep: ['b'] }, n: 2 });
    expect(input).toEqual(before);
    expect(out).not.toBe(input);
    expect(out.changed).not.toBe(input.changed);
    expect(out.same).toBe(input.same);
    expect(out.changed.keep).toBe(input.changed.keep);
    expect(mapJsonStrings(input.same, wellFormedText)).toBe(input.same);
  });

  it('renames a key in place, keeping the order of the others', () => {
    const out = mapJsonStrings({ a: 1, ['k\udc00']: 2, z: ['x\ud800'] }, wellFormedText);
    expect(Object.entries(out as object)).toEqual([
      ['a', 1],
      ['k\uFFFD', 2],
      ['z', ['x\uFFFD']],
    ]);
  });

  it('keeps a __proto__ key a key', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}') as object;
    expect(Object.keys(mapJsonStrings(value, (s) => s) as object)).toEqual(['__proto__']);
  });

  it('refuses an event nested past the bound with a validation error, without overflowing the stack', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => mapJsonStrings(deep, (s) => s)).toThrow(TooDeepError);
    expect(() => encodeEvent(requested(deep))).toThrow(EventValidationError);
    let fits: unknown = 'x';
    for (let i = 0; i < MAX_EVENT_DEPTH - 10; i++) fits = [fits];
    expect(() => encodeEvent(requested(fits))).not.toThrow();
  });

  it('refuses counts a UInt32 column cannot hold', () => {
    const completed = {
      ...requested('x'),
      type: 'generation.completed',
      version: 3,
      data: {
        output: { choices: [{ index: 0, content: 'x', toolCalls: [], finishReason: 'stop' }] },
        finishReason: 'stop',
        usage: {
          inputTokens: 1e300,
          outputTokens: 0,
          totalTokens: 0,
          cachedTokens: 0,
          reasoningTokens: 0,
          source: 'reported',
        },
        startedAt: '2026-11-25T10:00:00.000Z',
        latencyMs: 1,
        timeToFirstTokenMs: null,
        cost: null,
      },
    };
    expect(() => encodeEvent(completed as never)).toThrow(/inputTokens/);
  });
});
