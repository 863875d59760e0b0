import { InvalidInputError } from '../common/errors';
import { ExperimentRun, mayStart, type ItemResult, type RunItem } from './experiment-run';
import type { ReplayOutcome } from './replay-port';

const items = (n: number, estimate = 10n): RunItem[] =>
  Array.from({ length: n }, (_, i) => ({
    generationId: `g${i}`,
    configurationId: 'c1',
    estimateNanoUsd: estimate,
  }));

/** A stand-in replayer whose calls end when the test says (or at once), costing `cost` each. */
function replayer(cost: bigint | null = 10n, auto = true) {
  const pending: (() => void)[] = [];
  let inFlight = 0;
  let peak = 0;
  const calls: string[] = [];
  const replay = (item: RunItem): Promise<ReplayOutcome> => {
    calls.push(item.generationId);
    inFlight++;
    peak = Math.max(peak, inFlight);
    return new Promise((resolve) => {
      const end = () => {
        inFlight--;
        resolve({
          generationId: `r-${item.generationId}`,
          traceId: 't',
          replayOf: item.generationId,
          status: 'completed',
          costNanoUsd: cost,
          latencyMs: 5,
        });
      };
      if (auto) setImmediate(end);
      else pending.push(end);
    });
  };
  return { replay, calls, pending, peak: () => peak };
}

function run(
  list: RunItem[],
  replay: (item: RunItem) => Promise<ReplayOutcome>,
  budget = 1_000_000n,
  spent = 0n,
) {
  const written: ItemResult[][] = [];
  const seen: ItemResult[] = [];
  const job = new ExperimentRun(
    {
      replay,
      record: async (r) => void written.push([...r]),
      onResult: (r) => seen.push(r),
      now: () => new Date(),
      batchSize: 3,
    },
    { items: list, concurrency: 4, budgetNanoUsd: budget, spentNanoUsd: spent },
  );
  return { job, written, seen };
}

describe('an experiment run', () => {
  it('allows a request while spent + in flight + its estimate stays within the budget', () => {
    expect(mayStart(100n, 50n, 30n, 20n)).toBe(true);
    expect(mayStart(100n, 50n, 30n, 21n)).toBe(false);
  });

  it('given 20 items and concurrency 4, when it runs, then all are replayed once, never more than 4 at a time, and written', async () => {
    const fake = replayer();
    const { job, written, seen } = run(items(20), fake.replay);
    await expect(job.run(new AbortController().signal)).resolves.toBe('finished');
    expect(fake.calls.sort()).toEqual(
      items(20)
        .map((i) => i.generationId)
        .sort(),
    );
    expect(fake.peak()).toBe(4);
    expect(written.flat()).toHaveLength(20);
    expect(new Set(written.flat().map((r) => r.generationId)).size).toBe(20);
    expect(seen[0]).toMatchObject({
      replayGenerationId: expect.stringMatching(/^r-g/),
      status: 'completed',
      costNanoUsd: 10n,
    });
  });

  it('given a budget of 5 items, when replays cost what was estimated, then it stops before the 6th', async () => {
    const fake = replayer(10n);
    const { job, written } = run(items(20, 10n), fake.replay, 50n);
    await expect(job.run(new AbortController().signal)).resolves.toBe('budget');
    expect(fake.calls).toHaveLength(5);
    expect(written.flat()).toHaveLength(5);
  });

  it('given earlier runs spent most of it, then this run starts only what is left', async () => {
    const fake = replayer(10n);
    const { job } = run(items(20, 10n), fake.replay, 50n, 30n);
    await expect(job.run(new AbortController().signal)).resolves.toBe('budget');
    expect(fake.calls).toHaveLength(2);
  });

  it('given replays cheaper than estimated, then the actual spend lets more through', async () => {
    const fake = replayer(1n);
    const { job } = run(items(20, 10n), fake.replay, 50n);
    await expect(job.run(new AbortController().signal)).resolves.toBe('finished');
    expect(fake.calls).toHaveLength(20);
  });

  it('given 4 in flight, when it is cancelled, then it starts nothing more and writes the 4 once they end', async () => {
    const fake = replayer(10n, false);
    const { job, written } = run(items(20), fake.replay);
    const controller = new AbortController();
    const outcome = job.run(controller.signal);
    await new Promise((r) => setImmediate(r));
    expect(fake.calls).toHaveLength(4);
    controller.abort();
    fake.pending.splice(0).forEach((end) => end());
    await expect(outcome).resolves.toBe('stopped');
    expect(fake.calls).toHaveLength(4);
    expect(written.flat().map((r) => r.generationId)).toEqual(['g0', 'g1', 'g2', 'g3']);
  });

  it('given a replay that throws a typed error, then that item is a failed result with its reason', async () => {
    const replay = async (item: RunItem): Promise<ReplayOutcome> => {
      if (item.generationId === 'g1') throw new InvalidInputError('gone', 'model_not_found');
      return {
        generationId: 'r',
        traceId: 't',
        replayOf: item.generationId,
        status: 'completed',
        costNanoUsd: null,
        latencyMs: 1,
      };
    };
    const { job, written } = run(items(3), replay);
    await expect(job.run(new AbortController().signal)).resolves.toBe('finished');
    expect(written.flat().find((r) => r.generationId === 'g1')).toMatchObject({
      status: 'failed',
      errorCode: 'model_not_found',
      replayGenerationId: '',
    });
  });

  it('given the checkpoint cannot be written, then the run fails with that error', async () => {
    const job = new ExperimentRun(
      {
        replay: replayer().replay,
        record: async () => {
          throw new Error('ClickHouse down');
        },
        onResult: () => undefined,
        now: () => new Date(),
        batchSize: 1,
      },
      { items: items(5), concurrency: 2, budgetNanoUsd: 1000n, spentNanoUsd: 0n },
    );
    await expect(job.run(new AbortController().signal)).rejects.toThrow('ClickHouse down');
  });
});
