import { RecentTraceAttributes, traceAttributesOf } from './trace-attributes';

describe('traceAttributesOf', () => {
  const child = { traceId: 't', parentSpanId: 'root' };

  it('given a child and the root stating different values, then the root’s are the trace’s, per field', () => {
    const of = traceAttributesOf(
      'p',
      [
        { ...child, userId: 'child-user', sessionId: 'child-session' },
        { traceId: 't', userId: 'root-user' },
        { traceId: 'u', parentSpanId: 'x' },
      ],
      new RecentTraceAttributes(),
    );
    expect(of(child)).toEqual({ userId: 'root-user', sessionId: 'child-session' });
    expect(of({ traceId: 'u', parentSpanId: 'x' })).toEqual({});
  });

  it('given a child stating its own user in a later batch, then its siblings keep the root’s user', () => {
    const recent = new RecentTraceAttributes();
    traceAttributesOf('p', [{ traceId: 't', userId: 'u', sessionId: 's' }], recent);
    const of = traceAttributesOf('p', [{ ...child, userId: 'other' }, child], recent);
    expect(of(child)).toEqual({ userId: 'u', sessionId: 's' });
    expect(of({ ...child, userId: 'other' })).toEqual({ userId: 'other', sessionId: 's' });
    expect(traceAttributesOf('p', [child], recent)(child)).toEqual({ userId: 'u', sessionId: 's' });
  });

  it('given a child stating a user first, when the root states another later, then the root’s wins from then on', () => {
    const recent = new RecentTraceAttributes();
    expect(traceAttributesOf('p', [{ ...child, userId: 'c' }, child], recent)(child)).toEqual({
      userId: 'c',
    });
    traceAttributesOf('p', [{ traceId: 't', userId: 'r' }], recent);
    expect(traceAttributesOf('p', [child], recent)(child)).toEqual({ userId: 'r' });
  });

  it('given the root in one batch, when its children come in the next, then they carry its user and session', () => {
    const recent = new RecentTraceAttributes();
    const first = traceAttributesOf('p', [{ traceId: 't', userId: 'u', sessionId: 's' }, child], recent);
    expect(first(child)).toEqual({ userId: 'u', sessionId: 's' });
    const second = traceAttributesOf('p', [child], recent);
    expect(second(child)).toEqual({ userId: 'u', sessionId: 's' });
  });

  it('given a span stating its own user, then it keeps it and takes the trace’s session', () => {
    const recent = new RecentTraceAttributes();
    const of = traceAttributesOf('p', [{ traceId: 't', userId: 'u', sessionId: 's' }], recent);
    expect(of({ ...child, userId: 'other' })).toEqual({ userId: 'other', sessionId: 's' });
  });

  it('given another project with the same trace id, then nothing is inherited across projects', () => {
    const recent = new RecentTraceAttributes();
    traceAttributesOf('p', [{ traceId: 't', userId: 'u' }], recent);
    expect(traceAttributesOf('q', [child], recent)(child)).toEqual({});
  });

  it('given more traces than it keeps, then the least recently used is forgotten first', () => {
    const recent = new RecentTraceAttributes(2);
    recent.remember('p', 'a', { userId: 'ua' });
    recent.remember('p', 'b', { userId: 'ub' });
    recent.recall('p', 'a');
    recent.remember('p', 'c', { userId: 'uc' });
    expect(recent.recall('p', 'b')).toBeUndefined();
    expect(recent.recall('p', 'a')).toEqual({ userId: 'ua' });
    expect(recent.recall('p', 'c')).toEqual({ userId: 'uc' });
  });
});
