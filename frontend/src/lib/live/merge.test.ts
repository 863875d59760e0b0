import { describe, expect, it } from 'vitest';
import { applyProgress, mergeGenerations, newestFirst, type LiveItem } from './merge';

/** A generation that ended `second` seconds after 12:00:00 and took one second. */
function gen(id: string, second: number, extra: Partial<LiveItem & { model: string }> = {}) {
  const ended = new Date(Date.UTC(2025, 0, 1, 12, 0, second));
  return {
    id,
    startedAt: new Date(ended.getTime() - 1000).toISOString(),
    endedAt: ended.toISOString(),
    model: 'mock-1',
    ...extra,
  };
}

const ids = (items: readonly LiveItem[]) => items.map((item) => item.id);

describe('mergeGenerations', () => {
  it('orders the first page newest first', () => {
    const page = [gen('a', 1), gen('c', 3), gen('b', 2)];
    expect(ids(mergeGenerations([], page))).toEqual(['c', 'b', 'a']);
  });

  it('prepends a generation that arrives live', () => {
    const current = mergeGenerations([], [gen('b', 2), gen('a', 1)]);
    const next = mergeGenerations(current, [gen('c', 3)]);
    expect(ids(next)).toEqual(['c', 'b', 'a']);
  });

  it('keeps one row per id and takes the incoming copy', () => {
    const current = [gen('b', 2), gen('a', 1, { model: 'old' })];
    const next = mergeGenerations(current, [gen('a', 1, { model: 'new' }), gen('a', 1, { model: 'newest' })]);
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next[1]).toMatchObject({ id: 'a', model: 'newest' });
  });

  it('merges a query page that answers after live events arrived', () => {
    // The subscription starts first; `c` and `d` arrive before the page, and `c` is in both.
    const live = mergeGenerations(mergeGenerations([], [gen('c', 3)]), [gen('d', 4)]);
    const page = [gen('c', 3), gen('b', 2), gen('a', 1)];
    expect(ids(mergeGenerations(live, page))).toEqual(['d', 'c', 'b', 'a']);
  });

  it('fills the gap after a reconnect with the refetched page', () => {
    const before = [gen('b', 2), gen('a', 1)];
    const afterReconnect = mergeGenerations(before, [gen('e', 5)]); // live again
    const refetched = [gen('e', 5), gen('d', 4), gen('c', 3), gen('b', 2)]; // `c`, `d` ended while offline
    expect(ids(mergeGenerations(afterReconnect, refetched))).toEqual(['e', 'd', 'c', 'b', 'a']);
  });

  it('breaks ties on end time by start time, then by id', () => {
    const early = { ...gen('x', 5), startedAt: '2025-01-01T12:00:00.000Z' };
    const late = { ...gen('y', 5), startedAt: '2025-01-01T12:00:03.000Z' };
    expect(ids(mergeGenerations([], [early, late]))).toEqual(['y', 'x']);
    expect(ids(mergeGenerations([], [gen('m', 5), gen('n', 5)]))).toEqual(['n', 'm']);
  });

  it('compares instants, not text, so offsets and precision do not matter', () => {
    const utc = { id: 'utc', startedAt: '2025-01-01T12:00:00Z', endedAt: '2025-01-01T12:00:02Z' };
    const offset = {
      id: 'offset',
      startedAt: '2025-01-01T13:00:00+01:00',
      endedAt: '2025-01-01T13:00:01.500+01:00',
    };
    expect(ids(mergeGenerations([], [offset, utc]))).toEqual(['utc', 'offset']);
  });

  it('puts unparseable times last', () => {
    const broken = { id: 'broken', startedAt: 'n/a', endedAt: 'n/a' };
    expect(ids(mergeGenerations([], [broken, gen('a', 1)]))).toEqual(['a', 'broken']);
    expect(newestFirst(broken, { ...broken, id: 'other' })).not.toBeNaN();
  });

  it('keeps at most `limit` rows, dropping the oldest', () => {
    const page = [gen('a', 1), gen('b', 2), gen('c', 3)];
    expect(ids(mergeGenerations(page, [gen('d', 4)], 3))).toEqual(['d', 'c', 'b']);
    expect(mergeGenerations(page, [], 0)).toEqual([]);
  });

  it('does not modify its inputs', () => {
    const current = Object.freeze([gen('a', 1)]);
    const incoming = Object.freeze([gen('b', 2)]);
    const next = mergeGenerations(current, incoming);
    expect(ids(next)).toEqual(['b', 'a']);
    expect(ids(current)).toEqual(['a']);
    expect(next).not.toBe(current);
  });
});

describe('applyProgress', () => {
  const row = {
    id: 'g',
    output: 'Once upon ',
    outputTokens: 3,
    totalTokens: 3,
    timeToFirstTokenMs: 80,
    outputTokensPerSecond: null,
  };

  it("appends choice 0's new text and replaces counts and rates", () => {
    const next = applyProgress(row, {
      timeToFirstTokenMs: 80,
      outputTokens: 5,
      outputTokensPerSecond: 41.5,
      choices: [
        { index: 1, content: 'ignored ' },
        { index: 0, content: 'a time ' },
      ],
    });
    expect(next).toEqual({
      id: 'g',
      output: 'Once upon a time ',
      outputTokens: 5,
      totalTokens: 5,
      timeToFirstTokenMs: 80,
      outputTokensPerSecond: 41.5,
    });
    expect(row.output).toBe('Once upon ');
  });

  it('starts the output of a row that had none, and keeps it when choice 0 has nothing new', () => {
    const empty = { ...row, output: null };
    const progress = { timeToFirstTokenMs: 90, outputTokens: 1, outputTokensPerSecond: null };
    expect(applyProgress(empty, { ...progress, choices: [{ index: 0, content: 'Hi ' }] }).output).toBe('Hi ');
    expect(applyProgress(empty, { ...progress, choices: [{ index: 0, content: null }] }).output).toBeNull();
  });
});
