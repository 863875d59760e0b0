import { describe, expect, it } from 'vitest';
import { currentCursor, firstPage, hasNewer, newer, older, pageNumber } from './pager';

describe('audit pager', () => {
  it('starts on the newest page without a cursor', () => {
    expect(currentCursor(firstPage)).toBeNull();
    expect(hasNewer(firstPage)).toBe(false);
    expect(pageNumber(firstPage)).toBe(1);
  });

  it('goes older with nextCursor and back newer', () => {
    const second = older(firstPage, '2025-01-02T00:00:00Z');
    const third = older(second, '2025-01-01T00:00:00Z');
    expect(currentCursor(third)).toBe('2025-01-01T00:00:00Z');
    expect(pageNumber(third)).toBe(3);
    expect(currentCursor(newer(third))).toBe('2025-01-02T00:00:00Z');
    expect(currentCursor(newer(newer(third)))).toBeNull();
    expect(newer(firstPage)).toBe(firstPage);
  });

  it('stays put when there is nothing older', () => {
    expect(older(firstPage, null)).toBe(firstPage);
    expect(older(firstPage, '')).toBe(firstPage);
  });
});
