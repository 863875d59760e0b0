import { describe, expect, it } from 'vitest';
import { ago, refusalHue, refusalLabel, shares } from './refusals';

describe('refusals', () => {
  it('names the usual codes in plain words and shows others as they are', () => {
    expect(refusalLabel('too_many_requests')).toBe('Rate limited');
    expect(refusalLabel('model_not_found')).toBe('Unknown model');
    expect(refusalLabel('some_new_reason')).toBe('some new reason');
  });

  it('gives each code a stable hue', () => {
    expect(refusalHue('too_many_requests')).toBe(38);
    expect(refusalHue('some_new_reason')).toBe(refusalHue('some_new_reason'));
    expect(refusalHue('some_new_reason')).toBeGreaterThanOrEqual(0);
    expect(refusalHue('some_new_reason')).toBeLessThan(360);
  });

  it('splits a bar into shares, keeping a tiny part visible', () => {
    expect(shares([3, 1])).toEqual([75, 25]);
    expect(shares([10_000, 1])[1]).toBe(1);
    expect(shares([0, 0])).toEqual([0, 0]);
  });

  it('says how long ago', () => {
    const now = new Date('2026-11-30T12:00:00Z');
    expect(ago('2026-11-30T11:59:58Z', now)).toBe('just now');
    expect(ago('2026-11-30T11:59:30Z', now)).toBe('30 s ago');
    expect(ago('2026-11-30T11:57:00Z', now)).toBe('3 min ago');
    expect(ago('2026-11-30T09:00:00Z', now)).toBe('3 h ago');
    expect(ago('2026-11-28T12:00:00Z', now)).toBe('2 d ago');
  });
});
