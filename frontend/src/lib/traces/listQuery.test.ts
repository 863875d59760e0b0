import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  EMPTY_QUERY,
  parseListQuery,
  toTraceFilter,
  toTraceOrder,
  writeListQuery,
} from './listQuery';

const now = new Date('2026-11-30T12:00:00Z');

describe('the traces list state in the URL', () => {
  it('reads every filter and keeps the other parameters when written back', () => {
    const params = new URLSearchParams(
      'project=p1&range=24h&q=refund&user=u-7&user=u-8&session=chat-42&tag=beta&model=gpt-4o&errors=only&sort=slowest',
    );
    const query = parseListQuery(params);
    expect(query).toEqual({
      range: '24h',
      search: 'refund',
      userIds: ['u-7', 'u-8'],
      sessionIds: ['chat-42'],
      tags: ['beta'],
      models: ['gpt-4o'],
      errors: 'only',
      sort: 'slowest',
    });
    const written = writeListQuery(query, new URLSearchParams('project=p1&range=1h'));
    expect(written.get('project')).toBe('p1');
    expect(parseListQuery(written)).toEqual(query);
  });

  it('leaves defaults out of the URL and falls back to them for unknown values', () => {
    expect(writeListQuery(EMPTY_QUERY, new URLSearchParams('project=p1')).toString()).toBe('project=p1');
    expect(parseListQuery(new URLSearchParams('range=5y&errors=maybe&sort=random&user=%20&user='))).toEqual(
      EMPTY_QUERY,
    );
  });

  it('drops repeated values', () => {
    expect(parseListQuery(new URLSearchParams('tag=a&tag=a&tag=b')).tags).toEqual(['a', 'b']);
  });

  it('counts the filters beyond the time range', () => {
    expect(activeFilterCount(EMPTY_QUERY)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_QUERY, range: '1h', sort: 'oldest' })).toBe(0);
    expect(activeFilterCount({ ...EMPTY_QUERY, search: 'x', tags: ['a', 'b'], errors: 'none' })).toBe(4);
  });
});

describe('the GraphQL variables of the state', () => {
  it('turns the state into the shared TraceFilter', () => {
    const query = parseListQuery(new URLSearchParams('range=1h&q=refund&user=u-7&errors=none'));
    expect(toTraceFilter(query, now)).toEqual({
      from: '2026-11-30T11:00:00.000Z',
      search: 'refund',
      userIds: ['u-7'],
      sessionIds: undefined,
      tags: undefined,
      models: undefined,
      hasError: false,
    });
  });

  it('has no start for all time and no search under the server minimum of 2 characters', () => {
    const filter = toTraceFilter({ ...EMPTY_QUERY, range: 'all', search: 'x' }, now);
    expect(filter.from).toBeUndefined();
    expect(filter.search).toBeUndefined();
  });

  it('orders by the chosen field and direction', () => {
    expect(toTraceOrder(EMPTY_QUERY)).toEqual({ field: 'STARTED_AT', direction: 'DESC' });
    expect(toTraceOrder({ ...EMPTY_QUERY, sort: 'fastest' })).toEqual({
      field: 'LATENCY_MS',
      direction: 'ASC',
    });
    expect(toTraceOrder({ ...EMPTY_QUERY, sort: 'errors' })).toEqual({
      field: 'ERROR_COUNT',
      direction: 'DESC',
    });
  });
});
