import {
  MAX_EXPERIMENT_CONCURRENCY,
  MAX_EXPERIMENT_CONFIGURATIONS,
  type ExperimentState,
} from '@sightline/schemas';
import { formatUsd, parseUsd } from '../../budgets/usd';
import { ConflictError, InvalidInputError, NotFoundError } from '../../common/errors';
import type { NewControlEvent } from '../control-events';
import type { ControlState } from '../control-state';
import { requireRole } from './authority';
import type { Command } from './command';

/** What a caller asks for; `items` and the estimate were measured before deciding (ClickHouse, prices). */
export type ExperimentDefinition = Pick<
  ExperimentState,
  'name' | 'idempotencyKey' | 'filter' | 'sample' | 'configurations' | 'concurrency' | 'budgetUsd'
>;

export type StartExperiment = Command<
  'start-experiment',
  {
    experimentId: string;
    projectId: string;
    definition: ExperimentDefinition;
    items: number;
    /** The whole run's estimated cost, nano-USD. */
    estimateNanoUsd: bigint;
    /** Replays of models without a price, counted as 0 in the estimate. */
    estimateUnpriced?: number;
  }
>;
export type CancelExperiment = Command<'cancel-experiment', { experimentId: string; projectId: string }>;
export type ResumeExperiment = Command<
  'resume-experiment',
  { experimentId: string; projectId: string; /** Whether some process runs it now. */ active: boolean }
>;
/** Its run ended on its own: every item done, or stopped by an error (the budget reached...). */
export type EndExperiment = Command<
  'end-experiment',
  { experimentId: string; projectId: string; error: ExperimentState['error'] }
>;

/** Thrown for an experiment id the project does not have. */
export class ExperimentNotFoundError extends NotFoundError {
  override readonly name = 'ExperimentNotFoundError';
  constructor() {
    super('No such experiment in this project', 'experiment_not_found');
  }
}

const usd = (nano: bigint): string => `$${formatUsd(nano)}`;

/**
 * Members start a bulk replay. The same id (from the idempotency key) again changes nothing.
 * @throws InvalidInputError `over_budget` (the estimate is above the budget: nothing is sent),
 *   `invalid_budget`, `invalid_concurrency`, `invalid_configurations`, `invalid_name`,
 *   `no_generations`; ProjectNotFoundError; ForbiddenError below member
 */
export function startExperiment(command: StartExperiment, state: ControlState): NewControlEvent[] {
  const { experimentId, projectId, definition: d } = command;
  requireRole(state, command.actor, projectId, 'member');
  const existing = state.experiments.get(experimentId);
  if (existing?.projectId === projectId) return [];
  const name = d.name.trim();
  if (!name || name.length > 200)
    throw new InvalidInputError('An experiment name is 1–200 characters', 'invalid_name', 'name');
  const budget = parseUsd(d.budgetUsd);
  if (budget === undefined || budget <= 0n)
    throw new InvalidInputError(
      'The budget must be a USD amount above 0, e.g. 5 or 2.50',
      'invalid_budget',
      'budgetUsd',
    );
  if (!Number.isInteger(d.concurrency) || d.concurrency < 1 || d.concurrency > MAX_EXPERIMENT_CONCURRENCY)
    throw new InvalidInputError(
      `The concurrency is 1 to ${MAX_EXPERIMENT_CONCURRENCY}`,
      'invalid_concurrency',
      'concurrency',
    );
  if (d.configurations.length < 1 || d.configurations.length > MAX_EXPERIMENT_CONFIGURATIONS)
    throw new InvalidInputError(
      `Give 1 to ${MAX_EXPERIMENT_CONFIGURATIONS} replay configurations`,
      'invalid_configurations',
      'configurations',
    );
  if (command.items === 0)
    throw new InvalidInputError('The filter matches no recorded generations', 'no_generations', 'filter');
  if (command.estimateNanoUsd > budget)
    throw new InvalidInputError(
      `The estimated cost ${usd(command.estimateNanoUsd)} of replaying ${command.items} generations ` +
        `under ${d.configurations.length} configuration(s) is over the budget ${usd(budget)}`,
      'over_budget',
      'budgetUsd',
    );
  const at = command.now.toISOString();
  const data: ExperimentState = {
    experimentId,
    projectId,
    ...d,
    name,
    budgetUsd: formatUsd(budget),
    estimateUsd: formatUsd(command.estimateNanoUsd),
    ...(command.estimateUnpriced === undefined ? {} : { estimateUnpriced: command.estimateUnpriced }),
    items: command.items,
    status: 'running',
    error: null,
    startedAt: at,
    updatedAt: at,
    finishedAt: null,
    createdBy: command.actor.userId,
  };
  return [{ type: 'experiment.started', entityKey: `experiment:${experimentId}`, projectId, data }];
}

/**
 * A running experiment stops starting replays; what it replayed stays (resume goes on from there).
 * @throws ExperimentNotFoundError, ConflictError `not_running`, ForbiddenError below member
 */
export function cancelExperiment(command: CancelExperiment, state: ControlState): NewControlEvent[] {
  const experiment = experimentOf(command, state);
  if (experiment.status !== 'running')
    throw new ConflictError(`The experiment is ${experiment.status}, not running`, 'not_running');
  return [changed(experiment, 'experiment.cancelled', { status: 'cancelled' }, command.now)];
}

/**
 * A cancelled or failed experiment goes on from its checkpoint; so does a running one no process
 * runs any more (its process stopped).
 * @throws ExperimentNotFoundError, ConflictError `not_resumable`, ForbiddenError below member
 */
export function resumeExperiment(command: ResumeExperiment, state: ControlState): NewControlEvent[] {
  const experiment = experimentOf(command, state);
  const { status } = experiment;
  if (!(status === 'cancelled' || status === 'failed' || (status === 'running' && !command.active)))
    throw new ConflictError(`The experiment is ${status}; it cannot be resumed`, 'not_resumable');
  const data = { status: 'running' as const, error: null, finishedAt: null };
  return [changed(experiment, 'experiment.resumed', data, command.now)];
}

/** Nothing once it is no longer running (cancelled meanwhile). */
export function endExperiment(command: EndExperiment, state: ControlState): NewControlEvent[] {
  const experiment = state.experiments.get(command.experimentId);
  if (!experiment || experiment.projectId !== command.projectId || experiment.status !== 'running') return [];
  const at = command.now.toISOString();
  return command.error
    ? [
        changed(
          experiment,
          'experiment.failed',
          { status: 'failed', error: command.error, finishedAt: at },
          command.now,
        ),
      ]
    : [changed(experiment, 'experiment.finished', { status: 'finished', finishedAt: at }, command.now)];
}

function experimentOf(command: CancelExperiment | ResumeExperiment, state: ControlState): ExperimentState {
  requireRole(state, command.actor, command.projectId, 'member');
  const experiment = state.experiments.get(command.experimentId);
  if (!experiment || experiment.projectId !== command.projectId) throw new ExperimentNotFoundError();
  return experiment;
}

/**
 * `runnerId` takes (or renews) the run of a running experiment until `now + leaseMs`, unless another
 * runner holds it still. Nothing when it is not running (cancelled or ended meanwhile) or held.
 * Whether the claim was won reads from the state after: {@link runHolder}.
 */
export function claimExperimentRun(
  claim: { experimentId: string; runnerId: string; now: Date; leaseMs: number },
  state: ControlState,
): NewControlEvent[] {
  const experiment = state.experiments.get(claim.experimentId);
  if (experiment?.status !== 'running') return [];
  const holder = runHolder(state, claim.experimentId, claim.now);
  if (holder && holder !== claim.runnerId) return [];
  const { experimentId, projectId } = experiment;
  const expiresAt = new Date(claim.now.getTime() + claim.leaseMs).toISOString();
  return [
    {
      type: 'experiment.run-claimed',
      entityKey: `experiment-run:${experimentId}`,
      projectId,
      data: { experimentId, projectId, runnerId: claim.runnerId, expiresAt },
    },
  ];
}

/** The runner whose lease on the experiment's run has not expired at `now`, if any. */
export function runHolder(state: ControlState, experimentId: string, now: Date): string | undefined {
  const lease = state.experimentLeases.get(experimentId);
  return lease && Date.parse(lease.expiresAt) > now.getTime() ? lease.runnerId : undefined;
}

type ExperimentEventType = Extract<NewControlEvent['type'], `experiment.${string}`>;

function changed(
  experiment: ExperimentState,
  type: Exclude<ExperimentEventType, 'experiment.started' | 'experiment.run-claimed'>,
  change: Partial<ExperimentState>,
  now: Date,
): NewControlEvent {
  return {
    type,
    entityKey: `experiment:${experiment.experimentId}`,
    projectId: experiment.projectId,
    data: { ...experiment, ...change, updatedAt: now.toISOString() },
  };
}
