import { nanoToUsd } from '../costs/price-math';
import { progressOf, type JobProgress, type RestatementJob } from './restatement-job';
import type { LatestRestatedCost } from './restatement-store';

/** The GraphQL `Restatement` (schemas/graphql/restatements.graphql). */
export interface RestatementView {
  id: string;
  projectId: string;
  status: 'RUNNING' | 'CANCELLED' | 'FINISHED' | 'FAILED';
  active: boolean;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  generations: number;
  ingestedCost: string;
  restatedCost: string;
  costDifference: string;
  progress: JobProgress;
  error: string | null;
}

export function toRestatementView(job: RestatementJob, active: boolean): RestatementView {
  return {
    id: job.id,
    projectId: job.projectId,
    status: job.status.toUpperCase() as RestatementView['status'],
    active,
    startedAt: job.startedAt,
    updatedAt: job.updatedAt,
    finishedAt: job.finishedAt,
    generations: job.generations,
    ingestedCost: usd(job.ingestedNanoUsd),
    restatedCost: usd(job.restatedNanoUsd),
    costDifference: nanoToUsd(BigInt(job.restatedNanoUsd) - BigInt(job.ingestedNanoUsd)),
    progress: progressOf(job),
    error: job.error,
  };
}

const usd = (nano: string): string => nanoToUsd(BigInt(nano));

/** The GraphQL `RestatedCost`: USD as exact decimal strings; no amount when no price was in force. */
export function toRestatedCostView(cost: LatestRestatedCost) {
  const priced = !cost.flags.includes('unpriced') && cost.priceVersion !== 'none';
  return {
    cost: priced ? usd(cost.totalNanoUsd) : null,
    costBreakdown: priced
      ? {
          input: usd(cost.inputNanoUsd),
          output: usd(cost.outputNanoUsd),
          cachedInput: usd(cost.cachedInputNanoUsd),
          cacheWrite: usd(cost.cacheWriteNanoUsd),
          reasoning: usd(cost.reasoningNanoUsd),
          audio: usd(cost.audioNanoUsd),
          image: usd(cost.imageNanoUsd),
          requestFee: usd(cost.requestFeeNanoUsd),
        }
      : null,
    priceVersion: priced ? cost.priceVersion : null,
    costFlags: cost.flags.map((f) => f.toUpperCase()),
    restatementId: cost.restatementId,
    restatedAt: cost.restatedAt,
  };
}
