import {
  decideCancel,
  decideResume,
  fold,
  progressOf,
  type JobRecord,
  type RestatementJob,
} from './restatement-job';

const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, s)).toISOString();
const started: JobRecord = { kind: 'started', at: at(0), data: { idempotencyKey: 'k', ends: [100, 50, 0] } };
const progress = (s: number, positions: number[], generations: number): JobRecord => ({
  kind: 'progress',
  at: at(s),
  data: { positions, generations },
});
const given = (...records: JobRecord[]): RestatementJob => fold('rst_1', 'p1', records)!;

describe('a restatement job, folded from its records', () => {
  it('given nothing started, is nothing; a second start changes nothing', () => {
    expect(fold('rst_1', 'p1', [progress(1, [1, 1, 0], 1)])).toBeUndefined();
    expect(given(started, { ...started, at: at(9) })).toEqual(given(started));
  });

  it('given progress, counts what was read up to each end, with rate and time left over the run', () => {
    const job = given(started, progress(2, [40, 20, 0], 30), progress(4, [80, 40, 0], 60));
    expect(job).toMatchObject({ status: 'running', eventsTotal: 150, eventsDone: 120, generations: 60 });
    expect(progressOf(job)).toEqual({
      eventsDone: 120,
      eventsTotal: 150,
      fraction: 0.8,
      eventsPerSecond: 30,
      generationsPerSecond: 15,
      etaSeconds: 1,
    });
  });

  it('given a cancel then a resume, counts on over both runs and measures the rate from the resume', () => {
    const job = given(
      started,
      progress(2, [40, 20, 0], 30),
      { kind: 'cancelled', at: at(3), data: {} },
      { kind: 'resumed', at: at(10), data: {} },
      progress(12, [100, 50, 0], 45),
    );
    expect(job).toMatchObject({ status: 'running', eventsDone: 150, generations: 75 });
    expect(progressOf(job)).toMatchObject({ eventsPerSecond: 45, generationsPerSecond: 22.5, etaSeconds: 0 });
  });

  it('given cost totals per run, adds them exactly over a cancel and a resume; records without totals count 0', () => {
    const costed = (
      s: number,
      positions: number[],
      generations: number,
      ingested: string,
      restated: string,
    ) => ({
      kind: 'progress' as const,
      at: at(s),
      data: { positions, generations, ingestedNanoUsd: ingested, restatedNanoUsd: restated },
    });
    const job = given(
      started,
      costed(2, [40, 20, 0], 30, '900000000000000001', '300000000000000000'),
      { kind: 'cancelled', at: at(3), data: {} },
      { kind: 'resumed', at: at(10), data: {} },
      costed(11, [60, 30, 0], 40, '5', '2'),
      costed(12, [100, 50, 0], 45, '7', '3'),
    );
    expect(job).toMatchObject({
      ingestedNanoUsd: '900000000000000008',
      restatedNanoUsd: '300000000000000003',
    });
    expect(given(started, progress(2, [40, 20, 0], 30))).toMatchObject({
      ingestedNanoUsd: '0',
      restatedNanoUsd: '0',
    });
  });

  it('given it finished, a late cancel changes nothing and neither command applies', () => {
    const job = given(started, progress(2, [100, 50, 0], 75), { kind: 'finished', at: at(3), data: {} });
    expect(
      given(
        started,
        progress(2, [100, 50, 0], 75),
        { kind: 'finished', at: at(3), data: {} },
        {
          kind: 'cancelled',
          at: at(4),
          data: {},
        },
      ).status,
    ).toBe('finished');
    expect(() => decideCancel(job, at(5))).toThrow(expect.objectContaining({ reason: 'not_running' }));
    expect(() => decideResume(job, false, at(5))).toThrow(
      expect.objectContaining({ reason: 'not_resumable' }),
    );
  });

  it('when resuming, takes a cancelled, failed or orphaned running job, not one a process runs', () => {
    const running = given(started);
    expect(() => decideResume(running, true, at(1))).toThrow(/cannot be resumed/);
    expect(decideResume(running, false, at(1)).kind).toBe('resumed');
    expect(
      decideResume(given(started, { kind: 'failed', at: at(1), data: { message: 'x' } }), false, at(2)).kind,
    ).toBe('resumed');
    expect(decideCancel(running, at(1))).toEqual({ kind: 'cancelled', at: at(1), data: {} });
  });
});
