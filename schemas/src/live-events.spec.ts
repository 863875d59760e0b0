import type { GenerationProgressed } from './events/generation';
import { newEventId } from './ids';
import {
  decodeEvent,
  decodeLiveEvent,
  encodeEvent,
  encodeLiveEvent,
  EventValidationError,
} from './validation';

const progressed: GenerationProgressed = {
  eventId: newEventId(),
  occurredAt: '2026-11-30T10:00:00.000Z',
  projectId: 'proj_1',
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  source: 'gateway',
  type: 'generation.progressed',
  version: 1,
  data: {
    seq: 1,
    elapsedMs: 130,
    timeToFirstTokenMs: 120,
    outputTokens: 3,
    outputTokensSource: 'estimated',
    choices: [
      { index: 0, content: 'Hello there ' },
      { index: 1, toolCalls: [{ position: 0, id: 'call_1', name: 'lookup', arguments: '{"q":' }] },
    ],
  },
};

describe('live events', () => {
  it('round-trips a generation.progressed through encode/decode', () => {
    expect(decodeLiveEvent(encodeLiveEvent(progressed))).toEqual(progressed);
  });

  it('keeps live events and LLM events apart: neither door takes the other', () => {
    expect(() => decodeEvent(encodeLiveEvent(progressed))).toThrow(EventValidationError);
    expect(() => encodeEvent(progressed as never)).toThrow('unknown event type generation.progressed');
    expect(() => decodeLiveEvent(JSON.stringify({ ...progressed, version: 2 }))).toThrow(
      'unknown live event generation.progressed.v2',
    );
  });

  it('names the offending field of an invalid progress event', () => {
    const invalid = { ...progressed, data: { ...progressed.data, seq: 0 } };
    expect(() => decodeLiveEvent(JSON.stringify(invalid))).toThrow(/\/data\/seq/);
  });
});
