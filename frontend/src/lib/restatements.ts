// Restatement jobs on the page: their progress line and a live follow of one running job.
import { createClient } from 'graphql-ws';
import { formatUsd } from '$lib/format';
import { graphqlWsUrl } from '$lib/graphql/client';
import {
  RestatementProgressDocument,
  type RestatementFieldsFragment,
  type RestatementProgressSubscription,
} from '$lib/graphql/generated';

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `40% · 12,000 / 30,000 events · 6,000 generations · 9,000 events/s · ETA 2 s`. */
export function progressText(job: RestatementFieldsFragment): string {
  const p = job.progress;
  const parts = [
    `${Math.floor(p.fraction * 100)}%`,
    `${count(p.eventsDone)} / ${count(p.eventsTotal)} events`,
    `${count(job.generations)} generations`,
  ];
  if (p.eventsPerSecond !== null && job.status === 'RUNNING')
    parts.push(`${count(p.eventsPerSecond)} events/s`);
  if (p.etaSeconds !== null && job.status === 'RUNNING') parts.push(`ETA ${Math.ceil(p.etaSeconds)} s`);
  return parts.join(' · ');
}

/**
 * The job's totals over the generations it re-priced: `$0.012000 at ingestion → $0.006000 restated
 * (-$0.006000, -50%)`. The percentage is for reading only; the amounts are exact.
 */
export function costText(job: RestatementFieldsFragment): string {
  const diff = job.costDifference.startsWith('-')
    ? formatUsd(job.costDifference)
    : `+${formatUsd(job.costDifference)}`;
  const before = Number(job.ingestedCost);
  const change =
    before > 0
      ? `, ${diff.startsWith('-') ? '' : '+'}${((Number(job.costDifference) / before) * 100).toFixed(1)}%`
      : '';
  return `${formatUsd(job.ingestedCost)} at ingestion → ${formatUsd(job.restatedCost)} restated (${diff}${change})`;
}

/** What a user may do with a job now: cancel one that runs, resume one that stopped. */
export function actionsOf(job: RestatementFieldsFragment): { cancel: boolean; resume: boolean } {
  const running = job.status === 'RUNNING';
  return {
    cancel: running && job.active,
    resume: job.status === 'CANCELLED' || job.status === 'FAILED' || (running && !job.active),
  };
}

/** Follows one job over graphql-ws until it ends or `stop()` is called. */
export function followRestatement(
  projectId: string,
  id: string,
  onUpdate: (job: RestatementFieldsFragment) => void,
): () => void {
  const client = createClient({ url: graphqlWsUrl(window.location), lazy: true, retryAttempts: 3 });
  const unsubscribe = client.subscribe<RestatementProgressSubscription>(
    { query: RestatementProgressDocument.toString(), variables: { projectId, id } },
    {
      next: (result) => {
        if (result.data) onUpdate(result.data.restatementProgress);
      },
      error: () => void client.dispose(),
      complete: () => void client.dispose(),
    },
  );
  return () => {
    unsubscribe();
    void client.dispose();
  };
}
