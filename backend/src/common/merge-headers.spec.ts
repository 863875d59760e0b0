import { mergeHeaders } from './merge-headers';

describe('mergeHeaders', () => {
  it('is the spread of its parts: later ones win, undefined ones are skipped, none is changed', () => {
    const upstream = { 'x-request-id': 'req_1', 'content-type': 'text/plain' };
    const merged = mergeHeaders(upstream, undefined, { 'content-type': 'application/json' });
    expect(merged).toEqual({ ...upstream, 'content-type': 'application/json' });
    expect(Object.keys(merged)).toEqual(['x-request-id', 'content-type']);
    expect(upstream['content-type']).toBe('text/plain');
    expect(mergeHeaders()).toEqual({});
  });
});
