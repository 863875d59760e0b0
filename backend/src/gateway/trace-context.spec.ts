import { InvalidInputError } from '../common/errors';
import { traceContext } from './trace-context';

describe('traceContext', () => {
  it('reads nothing from no headers', () => {
    expect(traceContext({})).toEqual({ tags: [], metadata: {} });
  });

  it('takes the trace and parent from traceparent, unless the Sightline headers say otherwise', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceContext({ traceparent })).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
    });
    expect(
      traceContext({ traceparent, 'x-sightline-trace-id': 'my-trace', 'x-sightline-parent-span-id': 'p.1' }),
    ).toMatchObject({ traceId: 'my-trace', parentSpanId: 'p.1' });
  });

  it('reads session, user, tags (list or JSON array, deduplicated) and metadata (scalars as strings)', () => {
    expect(
      traceContext({
        'x-sightline-session-id': 'chat 42',
        'x-sightline-user-id': 'ana@example.com',
        'x-sightline-tags': ' a, b ,,a',
        'x-sightline-metadata': '{"tenant":"acme","n":2,"beta":true}',
      }),
    ).toEqual({
      sessionId: 'chat 42',
      userId: 'ana@example.com',
      tags: ['a', 'b'],
      metadata: { tenant: 'acme', n: '2', beta: 'true' },
    });
    expect(traceContext({ 'x-sightline-tags': '["x, y", "z"]' }).tags).toEqual(['x, y', 'z']);
  });

  it('decodes UTF-8 header text, which Node presents as latin1 characters', () => {
    const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
    expect(
      traceContext({
        'x-sightline-session-id': wire('会話-1'),
        'x-sightline-user-id': wire('user-ü'),
        'x-sightline-tags': wire('café, beta'),
        'x-sightline-metadata': wire('{"city":"Zürich"}'),
      }),
    ).toEqual({
      sessionId: '会話-1',
      userId: 'user-ü',
      tags: ['café', 'beta'],
      metadata: { city: 'Zürich' },
    });
  });

  it.each([
    ['x-sightline-user-id', 'caf\u00e9'],
    ['traceparent', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7'],
    ['traceparent', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['traceparent', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['traceparent', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['x-sightline-trace-id', 'a b'],
    ['x-sightline-session-id', 'x'.repeat(257)],
    ['x-sightline-user-id', 'line\nbreak'],
    ['x-sightline-tags', '["ok", 3]'],
    ['x-sightline-tags', Array.from({ length: 65 }, (_, i) => `t${i}`).join(',')],
    ['x-sightline-metadata', '{"nested":{"no":1}}'],
    ['x-sightline-metadata', 'not json'],
    ['x-sightline-metadata', '[1]'],
  ])('refuses %s = %j with an error naming the header', (name, value) => {
    let error: unknown;
    try {
      traceContext({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({
      param: name,
      reason: 'invalid_header',
      message: expect.stringContaining(name),
    });
  });
});
