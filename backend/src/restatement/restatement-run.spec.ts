import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { flatPrice } from '../../test/support/restatement.suite';
import type { BatchHandler, EventLog, PartitionBatch } from '../eventlog/event-log';
import { RestatementRun, type RunDependencies } from './restatement-run';

/** One partition in batches of `perBatch` generations (a request and its end each). */
function batchesOf(count: number, perBatch: number): PartitionBatch[] {
  const events: SightlineEvent[] = [];
  for (let i = 0; i < count; i++) events.push(...generationEvents('p1', { model: 'gpt-4o' }));
  const records = events.map((e, offset) => ({
    topic: 'llm',
    partition: 0,
    offset,
    key: e.traceId,
    value: encodeEvent(e),
    timestamp: 0,
  }));
  const batches: PartitionBatch[] = [];
  for (let i = 0; i < records.length; i += perBatch * 2)
    batches.push({
      topic: 'llm',
      partition: 0,
      records: records.slice(i, i + perBatch * 2),
      committed: { offset: i, metadata: '' },
    });
  return batches;
}

/** A log that hands the batches over in order, one at a time, until stopped. */
function logOf(batches: readonly PartitionBatch[]): EventLog {
  return {
    consume: async (_options: unknown, handler: BatchHandler) => {
      let stopped = false;
      const done = (async () => {
        for (const batch of batches) {
          if (stopped) return;
          await handler(batch, { commit: async () => undefined });
        }
      })();
      return { done, stop: async () => void (stopped = true) };
    },
  } as unknown as EventLog;
}

/** 3 batches of 10 generations at 10 generations a second, on a clock that moves only when slept on. */
function given(sleep: RunDependencies['sleep']) {
  const batches = batchesOf(30, 10);
  let now = 0;
  const slept: number[] = [];
  const run = new RestatementRun(
    {
      log: logOf(batches),
      topic: 'llm',
      priceOf: flatPrice('v1', 1n, 1n),
      keep: () => true,
      findRequests: async () => new Map(),
      insert: async () => undefined,
      progress: async () => undefined,
      maxBatchSize: 20,
      maxGenerationsPerSecond: 10,
      monotonicMs: () => now,
      sleep: async (ms, signal) => {
        slept.push(ms);
        await sleep!(ms, signal);
        now += ms;
      },
    },
    { id: 'rst_1', version: 1, ends: [batches.length * 20], positions: [0] },
  );
  return { run, slept };
}

describe('a restatement run at a capped pace', () => {
  it('given 10 generations a second, waits a second after each batch of 10 but the last', async () => {
    const { run, slept } = given(async () => undefined);
    await expect(run.run(new AbortController().signal)).resolves.toBe('finished');
    expect(slept).toEqual([1000, 1000]);
  });

  it('given a cancel while it waits, stops at once', async () => {
    const controller = new AbortController();
    const { run, slept } = given(
      (_ms, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason));
          controller.abort(); // cancelled while it waits
        }),
    );
    await expect(run.run(controller.signal)).resolves.toBe('stopped');
    expect(slept).toEqual([1000]);
  });
});
