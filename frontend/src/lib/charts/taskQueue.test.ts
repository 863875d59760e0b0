import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { queueTask } from './taskQueue';

describe('queueTask', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs one job per task, in the order queued', () => {
    const ran: string[] = [];
    queueTask(() => ran.push('a'));
    queueTask(() => ran.push('b'));
    queueTask(() => ran.push('c'));
    expect(ran).toEqual([]);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['a']);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['a', 'b']);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('unqueues a job that has not run; cancelling one that ran does nothing', () => {
    const ran: string[] = [];
    const cancelA = queueTask(() => ran.push('a'));
    const cancelB = queueTask(() => ran.push('b'));
    queueTask(() => ran.push('c'));
    vi.advanceTimersToNextTimer();
    cancelA();
    cancelB();
    vi.runAllTimers();
    expect(ran).toEqual(['a', 'c']);
  });

  it('keeps going for a job queued by a running job, and after a job throws', () => {
    const ran: string[] = [];
    queueTask(() => {
      ran.push('a');
      queueTask(() => ran.push('nested'));
      throw new Error('boom');
    });
    expect(() => vi.advanceTimersToNextTimer()).toThrow('boom');
    vi.runAllTimers();
    expect(ran).toEqual(['a', 'nested']);
  });
});
