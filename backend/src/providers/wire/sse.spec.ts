import { SseParser, readSse, type SseEvent } from './sse';

const encoder = new TextEncoder();

function parseInParts(bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(from, cut)));
    from = cut;
  }
  events.push(...parser.end());
  return events;
}

const message = (data: string, lastEventId = '', event = 'message'): SseEvent => ({
  event,
  data,
  lastEventId,
});

describe('SseParser', () => {
  // Every feature at once: BOM, comments, LF / CRLF / CR line ends, multi-line data, a field without
  // a colon, no space after the colon, event and id fields, unknown fields, a blank "event" without
  // data, multi-byte UTF-8 (2, 3 and 4 bytes), an empty data line, and [DONE].
  const stream =
    '\uFEFF: keep-alive comment\n\n' +
    'data: {"content":"héllo"}\n\n' +
    'data:first line\r\ndata: second line\r\n\r\n' +
    'event: ping\rid: 7\rdata: €😀\r\r' +
    'retry: 1500\nunknown: ignored\n\n' +
    'data\ndata:  two spaces\n\n' +
    'data:\n\n' +
    'data: [DONE]\n\n';
  const bytes = encoder.encode(stream);
  const expected = [
    message('{"content":"héllo"}'),
    message('first line\nsecond line'),
    message('€😀', '7', 'ping'),
    message('\n two spaces', '7'),
    message('', '7'),
    message('[DONE]', '7'),
  ];

  it('parses a whole stream', () => {
    const parser = new SseParser();
    expect([...parser.push(bytes), ...parser.end()]).toEqual(expected);
    expect(parser.retryMs).toBe(1500);
  });

  it('gives the same events whatever byte boundary splits the stream', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect({ cut, events: parseInParts(bytes, [cut]) }).toEqual({ cut, events: expected });
    }
  });

  it('gives the same events for every pair of split points', () => {
    for (let a = 1; a < bytes.length; a++) {
      for (let b = a; b < bytes.length; b++) {
        const events = parseInParts(bytes, [a, b]);
        if (JSON.stringify(events) !== JSON.stringify(expected)) {
          throw new Error(`split at ${a},${b}: ${JSON.stringify(events)}`);
        }
      }
    }
  });

  it('gives the same events fed one byte at a time', () => {
    expect(
      parseInParts(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ).toEqual(expected);
  });

  it('counts a CRLF split between two chunks as one line end', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r')).toEqual([message('a')]);
    expect(parser.push('\ndata: b\n\n')).toEqual([message('b')]);
  });

  it('returns events as soon as their blank line arrives', () => {
    const parser = new SseParser();
    expect(parser.push('data: one\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([message('one')]);
  });

  it('dispatches an unterminated last event at the end, and nothing for a trailing comment', () => {
    const parser = new SseParser();
    expect(parser.push('data: [DONE]')).toEqual([]);
    expect(parser.end()).toEqual([message('[DONE]')]);
    const other = new SseParser();
    other.push(': bye');
    expect(other.end()).toEqual([]);
  });

  it('reads an async byte stream', async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const events: SseEvent[] = [];
    for await (const event of readSse(body())) events.push(event);
    expect(events).toEqual(expected);
  });
});
