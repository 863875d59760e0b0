import { describe, expect, it } from 'vitest';
import type { RestatementFieldsFragment } from '$lib/graphql/generated';
import { actionsOf, costText, progressText } from './restatements';

const job = (over: Partial<RestatementFieldsFragment> = {}): RestatementFieldsFragment => ({
  id: 'rst_1',
  projectId: 'p1',
  status: 'RUNNING',
  active: true,
  startedAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-11-30T12:00:02.000Z',
  finishedAt: null,
  generations: 6000,
  ingestedCost: '0.012000000',
  restatedCost: '0.006000000',
  costDifference: '-0.006000000',
  error: null,
  progress: {
    eventsDone: 12000,
    eventsTotal: 30000,
    fraction: 0.4,
    eventsPerSecond: 9000,
    generationsPerSecond: 4500,
    etaSeconds: 2,
  },
  ...over,
});

describe('restatement progress', () => {
  it('reads the totals before and after and their difference, down or up', () => {
    expect(costText(job())).toBe('$0.012000 at ingestion → $0.006000 restated (-$0.006000, -50.0%)');
    expect(
      costText(
        job({ ingestedCost: '1.000000000', restatedCost: '1.250000000', costDifference: '0.250000000' }),
      ),
    ).toBe('$1.000000 at ingestion → $1.250000 restated (+$0.250000, +25.0%)');
    expect(
      costText(
        job({ ingestedCost: '0.000000000', restatedCost: '0.000000000', costDifference: '0.000000000' }),
      ),
    ).toBe('$0.000000 at ingestion → $0.000000 restated (+$0.000000)');
  });

  it('reads done/total, generations, rate and time left while running', () => {
    expect(progressText(job())).toBe(
      '40% · 12,000 / 30,000 events · 6,000 generations · 9,000 events/s · ETA 2 s',
    );
  });

  it('drops rate and time left once the job stopped', () => {
    expect(progressText(job({ status: 'CANCELLED' }))).toBe(
      '40% · 12,000 / 30,000 events · 6,000 generations',
    );
  });

  it('offers cancel while a process runs it, resume once it stopped or nobody runs it', () => {
    expect(actionsOf(job())).toEqual({ cancel: true, resume: false });
    expect(actionsOf(job({ active: false }))).toEqual({ cancel: false, resume: true });
    expect(actionsOf(job({ status: 'CANCELLED', active: false }))).toEqual({ cancel: false, resume: true });
    expect(actionsOf(job({ status: 'FINISHED', active: false }))).toEqual({ cancel: false, resume: false });
  });
});
