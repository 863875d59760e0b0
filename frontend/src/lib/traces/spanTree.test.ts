import { describe, expect, it } from 'vitest';
import { timelineOf, visibleRows } from './spanTree';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, 0, ms)).toISOString();
// root ─┬─ a ── a1
//       └─ b
const spans = [
  { id: 'root', depth: 0, startedAt: at(0), endedAt: at(1000) },
  { id: 'a', depth: 1, startedAt: at(100), endedAt: at(600) },
  { id: 'a1', depth: 2, startedAt: at(200), endedAt: at(500) },
  { id: 'b', depth: 1, startedAt: at(600), endedAt: at(900) },
];

describe('span tree', () => {
  it('lists every span with whether it has children and its bar on the timeline', () => {
    const rows = visibleRows(spans, new Set());
    expect(rows.map((r) => [r.span.id, r.hasChildren, r.offset, r.width])).toEqual([
      ['root', true, 0, 100],
      ['a', true, 10, 50],
      ['a1', false, 20, 30],
      ['b', false, 60, 30],
    ]);
  });

  it('hides the descendants of a collapsed span, not its siblings', () => {
    expect(visibleRows(spans, new Set(['a'])).map((r) => r.span.id)).toEqual(['root', 'a', 'b']);
    expect(visibleRows(spans, new Set(['root'])).map((r) => r.span.id)).toEqual(['root']);
  });

  it('ignores a collapsed leaf', () => {
    expect(visibleRows(spans, new Set(['a1'])).map((r) => r.span.id)).toEqual(['root', 'a', 'a1', 'b']);
  });

  it('draws a running span to the end of the timeline', () => {
    const running = [
      { id: 'root', depth: 0, startedAt: at(0), endedAt: null },
      { id: 'x', depth: 1, startedAt: at(0), endedAt: at(400) },
    ];
    const timeline = timelineOf(running, Date.parse(at(800)));
    expect(timeline.duration).toBe(400);
    expect(visibleRows(running, new Set(), timeline)[0].width).toBe(100);
  });

  it('keeps a zero-length span visible', () => {
    const rows = visibleRows([{ id: 'e', depth: 0, startedAt: at(0), endedAt: at(0) }], new Set());
    expect(rows[0].width).toBeGreaterThan(0);
  });

  it('handles 500 spans in tree order', () => {
    const many = Array.from({ length: 500 }, (_, i) => ({
      id: `s${i}`,
      depth: i === 0 ? 0 : 1 + (i % 3),
      startedAt: at(i),
      endedAt: at(i + 10),
    }));
    expect(visibleRows(many, new Set()).length).toBe(500);
    expect(visibleRows(many, new Set(['s0'])).length).toBe(1);
  });
});
