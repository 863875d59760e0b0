// The live tail's buffering: one change of the rows per frame whatever the rate, in-flight rows
// replaced by their final row in place, pause counting arrivals, resume showing them, the cap.
import { describe, expect, it } from 'vitest';
import { LiveTail, type TailRow } from './liveTail.svelte';

const row = (id: string, over: Partial<TailRow> = {}): TailRow => ({
  id,
  startedAt: '2026-12-01T00:00:00.000Z',
  endedAt: null,
  output: '',
  outputTokens: 0,
  totalTokens: 0,
  timeToFirstTokenMs: null,
  outputTokensPerSecond: null,
  ...over,
});

/** A tail whose frames the test runs by hand. */
function manual(limit?: number) {
  const frames: (() => void)[] = [];
  const tail = new LiveTail<TailRow>((f) => frames.push(f), limit);
  const frame = () => frames.splice(0).forEach((f) => f());
  return { tail, frames, frame, ids: () => tail.rows.map((r) => r.id) };
}

describe('LiveTail', () => {
  it('applies everything that came in a frame at once, newest on top', () => {
    const { tail, frames, frame, ids } = manual();
    for (let i = 0; i < 100; i++) tail.push({ row: row(`g${i}`), missed: 0 });
    expect(frames).toHaveLength(1);
    expect(ids()).toEqual([]);
    frame();
    expect(ids().slice(0, 3)).toEqual(['g99', 'g98', 'g97']);
    expect(ids()).toHaveLength(100);
  });

  it('streams an in-flight row’s output and replaces it by its final row in place', () => {
    const { tail, frame, ids } = manual();
    tail.push({ row: row('a'), missed: 0 });
    tail.push({ row: row('b'), missed: 0 });
    frame();
    const progress = (content: string) => ({
      id: 'a',
      timeToFirstTokenMs: 120,
      outputTokens: 3,
      outputTokensPerSecond: null,
      choices: [{ index: 0, content }],
    });
    tail.push({ progress: progress('Hel'), missed: 0 });
    tail.push({ progress: progress('lo'), missed: 0 });
    frame();
    expect(tail.rows.find((r) => r.id === 'a')).toMatchObject({ output: 'Hello', timeToFirstTokenMs: 120 });
    tail.push({ row: row('a', { output: 'Hello!', endedAt: '2026-12-01T00:00:01.000Z' }), missed: 0 });
    frame();
    expect(ids()).toEqual(['b', 'a']);
    expect(tail.rows[1]).toMatchObject({ output: 'Hello!' });
  });

  it('while paused keeps the rows still, counts new ids once, and shows them on resume', () => {
    const { tail, frame, ids } = manual();
    tail.push({ row: row('old'), missed: 0 });
    frame();
    tail.pause();
    tail.push({ row: row('n1'), missed: 0 });
    tail.push({ row: row('n2'), missed: 0 });
    tail.push({ row: row('n1', { output: 'done' }), missed: 0 });
    tail.push({ row: row('old', { output: 'final' }), missed: 0 });
    frame();
    expect(ids()).toEqual(['old']);
    expect(tail.arrivedWhilePaused).toBe(2);
    tail.resume();
    expect(ids()).toEqual(['n2', 'n1', 'old']);
    expect(tail.rows.find((r) => r.id === 'n1')?.output).toBe('done');
    expect(tail.arrivedWhilePaused).toBe(0);
  });

  it('adds up what the server missed, paused or not', () => {
    const { tail, frame } = manual();
    tail.push({ missed: 40 });
    frame();
    tail.pause();
    tail.push({ missed: 2 });
    frame();
    expect(tail.missed).toBe(42);
  });

  it('keeps at most `limit` rows, says rows were trimmed, and bounds what waits while paused', () => {
    const { tail, frame, ids } = manual(10);
    for (let i = 0; i < 25; i++) tail.push({ row: row(`g${i}`), missed: 0 });
    frame();
    expect(ids()).toHaveLength(10);
    expect(ids()[0]).toBe('g24');
    expect(tail.trimmed).toBe(true);
    tail.pause();
    for (let i = 25; i < 125; i++) tail.push({ row: row(`g${i}`), missed: 0 });
    frame();
    expect(tail.arrivedWhilePaused).toBe(100);
    tail.resume();
    expect(ids()).toHaveLength(10);
    expect(ids()[0]).toBe('g124');
  });

  it('appends older rows below, without repeating listed ones', () => {
    const { tail, frame, ids } = manual();
    tail.push({ row: row('new'), missed: 0 });
    frame();
    tail.appendOlder([row('new'), row('older'), row('oldest')]);
    expect(ids()).toEqual(['new', 'older', 'oldest']);
    expect(tail.trimmed).toBe(false);
  });
});
