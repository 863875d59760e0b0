import { describe, expect, it } from 'vitest';
import type { RestatementFieldsFragment } from '$lib/graphql/generated';
import { actionsOf, progressText } from './restatements';

const job = (over: Partial<RestatementFieldsFragment> = {}): RestatementFieldsFragment => ({
  id: 'rst_1',
  projectId: 'p1',
  status: 'RUNNING',
  active: true,
  startedAt: '2026-11-30T12:00:00.000Z',
  updatedAt: '2026-11-30T12:00:02.000Z',
  finishedAt: null,
  generations: 6000,
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
