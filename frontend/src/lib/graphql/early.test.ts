import { describe, expect, it } from 'vitest';
import { startEarly, takeEarly } from './early';

describe('early queries', () => {
  it('hands the started answer to the page that takes its key, once', async () => {
    let runs = 0;
    startEarly('traces:p1', async () => ++runs, 1000);
    expect(await takeEarly('traces:p1', 1500)).toBe(1);
    expect(takeEarly('traces:p1', 1600)).toBeUndefined();
    expect(runs).toBe(1);
  });

  it('starts a key once while its answer is fresh and not taken', async () => {
    let runs = 0;
    startEarly('traces:p1', async () => ++runs, 1000);
    startEarly('traces:p1', async () => ++runs, 2000);
    expect(await takeEarly('traces:p1', 2000)).toBe(1);
    startEarly('traces:p1', async () => ++runs, 3000);
    startEarly('traces:p1', async () => ++runs, 13_001);
    expect(await takeEarly('traces:p1', 13_001)).toBe(3);
  });

  it('gives nothing for another key, and drops what was started', () => {
    startEarly('traces:p1', async () => 'rows', 1000);
    expect(takeEarly('traces:p2', 1000)).toBeUndefined();
    expect(takeEarly('traces:p1', 1000)).toBeUndefined();
  });

  it('gives nothing when the answer is older than 10 s', () => {
    startEarly('trace:p1:t1', async () => 'trace', 1000);
    expect(takeEarly('trace:p1:t1', 11_001)).toBeUndefined();
  });

  it('keeps a failure for the page that takes it (and no unhandled rejection meanwhile)', async () => {
    startEarly('dash:p1', () => Promise.reject(new Error('FORBIDDEN')), 1000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await expect(takeEarly('dash:p1', 1000)).rejects.toThrow('FORBIDDEN');
  });
});
