import { describe, expect, it } from 'vitest';
import {
  bucketFor,
  dashboardWindow,
  DEFAULT_STATE,
  parseDashboardState,
  toGenerationFilter,
  withFilter,
  writeDashboardState,
} from './dashboardState';

const now = new Date('2026-12-01T10:07:30.000Z');

describe('the dashboard state in the URL', () => {
  it('round-trips through the URL and leaves defaults out', () => {
    const state = withFilter(
      { ...DEFAULT_STATE, range: '7d', group: 'user', percentile: 'p99' },
      'model',
      'gpt-4o',
    );
    const params = writeDashboardState(state, new URLSearchParams('project=p1'));
    expect(params.toString()).toBe('project=p1&range=7d&group=user&pct=p99&model=gpt-4o');
    expect(parseDashboardState(params)).toEqual(state);
    expect(writeDashboardState(DEFAULT_STATE, new URLSearchParams()).toString()).toBe('');
  });

  it('falls back to the defaults on bad values; a custom range needs a valid from < to', () => {
    expect(parseDashboardState(new URLSearchParams('range=9y&group=nope&pct=p7'))).toEqual(DEFAULT_STATE);
    expect(parseDashboardState(new URLSearchParams('range=custom&from=2026-12-02&to=2026-12-01')).range).toBe(
      '24h',
    );
    const custom = parseDashboardState(new URLSearchParams('range=custom&from=2026-11-01&to=2026-11-03'));
    expect(custom).toMatchObject({ range: 'custom', from: '2026-11-01T00:00:00.000Z' });
  });
});

describe('the window', () => {
  it('ends a preset at the end of the current bucket, aligned for the rollups, with the period before', () => {
    const w = dashboardWindow({ ...DEFAULT_STATE, range: '24h' }, now);
    expect(w.bucket).toBe('FIFTEEN_MINUTES');
    expect(new Date(w.to).toISOString()).toBe('2026-12-01T10:15:00.000Z');
    expect(new Date(w.from).toISOString()).toBe('2026-11-30T10:15:00.000Z');
    expect(w.baselineTo).toBe(w.from);
    expect(w.to - w.from).toBe(w.baselineTo - w.baselineFrom);
    expect(dashboardWindow({ ...DEFAULT_STATE, range: '30d' }, now).bucket).toBe('HOUR');
  });

  it('gives a custom range the smallest bucket that keeps it under 400 points', () => {
    expect(bucketFor(3 * 3_600_000)).toBe('MINUTE');
    expect(bucketFor(2 * 86_400_000)).toBe('FIFTEEN_MINUTES');
    expect(bucketFor(90 * 86_400_000)).toBe('DAY');
  });

  it('makes the shared filter of the window and the filters', () => {
    const state = withFilter(withFilter(DEFAULT_STATE, 'user', 'alice'), 'key', 'sk-1');
    expect(toGenerationFilter(state, { from: 0, to: 60_000 })).toEqual({
      from: '1970-01-01T00:00:00.000Z',
      to: '1970-01-01T00:01:00.000Z',
      userIds: ['alice'],
      apiKeyIds: ['sk-1'],
    });
  });
});
