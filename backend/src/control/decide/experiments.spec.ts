import type { ExperimentState } from '@sightline/schemas';
import { ConflictError, ForbiddenError, InvalidInputError, ProjectNotFoundError } from '../../common/errors';
import {
  as,
  asKey,
  given,
  member,
  NOW,
  project,
  SYSTEM,
  team,
  user,
} from '../../../test/support/control-given';
import type { NewControlEvent } from '../control-events';
import {
  claimExperimentRun,
  ExperimentNotFoundError,
  runHolder,
  startExperiment,
  type ExperimentDefinition,
  type StartExperiment,
} from './experiments';

const definition: ExperimentDefinition = {
  name: 'Try mini',
  idempotencyKey: 'k1',
  filter: { models: ['gpt-4o'] },
  sample: { kind: 'all' },
  configurations: [{ configurationId: 'c1', model: 'gpt-4o-mini' }],
  concurrency: 8,
  budgetUsd: '5',
};

const start = (over: Partial<StartExperiment> = {}): StartExperiment => ({
  type: 'start-experiment',
  actor: as('max'),
  now: NOW,
  experimentId: 'exp_1',
  projectId: 'p',
  definition,
  items: 120,
  estimateNanoUsd: 1_250_000_000n,
  ...over,
});

const state = (over: Partial<ExperimentState> = {}): ExperimentState => ({
  experimentId: 'exp_1',
  projectId: 'p',
  ...definition,
  estimateUsd: '1.25',
  items: 120,
  status: 'running',
  error: null,
  startedAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  finishedAt: null,
  createdBy: 'max',
  ...over,
});

const event = (type: NewControlEvent['type'], data: ExperimentState): NewControlEvent =>
  ({ type, entityKey: 'experiment:exp_1', projectId: 'p', data }) as NewControlEvent;

const started = event('experiment.started', state());
const command = <T extends 'cancel-experiment' | 'resume-experiment'>(type: T, actor = as('max')) => ({
  type,
  actor,
  now: NOW,
  experimentId: 'exp_1',
  projectId: 'p',
  active: false,
});

describe('experiments', () => {
  describe('start', () => {
    it('members and API keys start one within its budget; the same id again changes nothing', () => {
      given(...team())
        .when(start())
        .then(started);
      given(...team())
        .when(start({ actor: asKey, experimentId: 'exp_1' }))
        .then(event('experiment.started', state({ createdBy: null })));
      given(...team(), started)
        .when(start())
        .then();
    });

    it('refuses an estimate over the budget before anything is sent, naming both', () => {
      given(...team())
        .when(start({ estimateNanoUsd: 5_000_000_001n }))
        .thenFails(InvalidInputError, 'over_budget');
      expect(() =>
        startExperiment(start({ estimateNanoUsd: 5_000_000_001n }), given(...team()).state),
      ).toThrow(
        'The estimated cost $5.000000001 of replaying 120 generations under 1 configuration(s) is over the budget $5',
      );
      given(...team())
        .when(start({ estimateNanoUsd: 5_000_000_000n }))
        .then(event('experiment.started', state({ estimateUsd: '5' })));
    });

    it.each([
      [{ budgetUsd: '0' }, 'invalid_budget'],
      [{ budgetUsd: 'five' }, 'invalid_budget'],
      [{ concurrency: 0 }, 'invalid_concurrency'],
      [{ concurrency: 65 }, 'invalid_concurrency'],
      [{ configurations: [] }, 'invalid_configurations'],
      [{ name: ' ' }, 'invalid_name'],
    ])('refuses %p with a stable code', (change, reason) => {
      given(...team())
        .when(start({ definition: { ...definition, ...change } }))
        .thenFails(InvalidInputError, reason);
    });

    it('refuses a filter that matches nothing, viewers and outsiders', () => {
      given(...team())
        .when(start({ items: 0 }))
        .thenFails(InvalidInputError, 'no_generations');
      given(...team(), project('q'))
        .when(start({ projectId: 'q' }))
        .thenFails(ProjectNotFoundError);
      given(...team(), user('vic'), member('p', 'vic', 'viewer'))
        .when(start({ actor: as('vic') }))
        .thenFails(ForbiddenError);
    });
  });

  describe('cancel and resume', () => {
    it('cancels a running one; cancelling again conflicts', () => {
      const cancelled = event('experiment.cancelled', state({ status: 'cancelled' }));
      given(...team(), started)
        .when(command('cancel-experiment'))
        .then(cancelled);
      given(...team(), started, cancelled)
        .when(command('cancel-experiment'))
        .thenFails(ConflictError, 'not_running');
    });

    it('resumes a cancelled or failed one, or a running one no process runs; not an active one', () => {
      const cancelled = event('experiment.cancelled', state({ status: 'cancelled' }));
      const resumed = event('experiment.resumed', state());
      given(...team(), started, cancelled)
        .when(command('resume-experiment'))
        .then(resumed);
      given(...team(), started)
        .when(command('resume-experiment'))
        .then(resumed);
      given(...team(), started)
        .when({ ...command('resume-experiment'), active: true })
        .thenFails(ConflictError, 'not_resumable');
      const finished = event(
        'experiment.finished',
        state({ status: 'finished', finishedAt: NOW.toISOString() }),
      );
      given(...team(), started, finished)
        .when(command('resume-experiment'))
        .thenFails(ConflictError, 'not_resumable');
    });

    it('another project’s experiment reads as not found; API keys may cancel', () => {
      given(...team(), project('q'), event('experiment.started', state({ projectId: 'q' })))
        .when(command('cancel-experiment'))
        .thenFails(ExperimentNotFoundError, 'experiment_not_found');
      given(...team(), started)
        .when(command('cancel-experiment', asKey))
        .then(event('experiment.cancelled', state({ status: 'cancelled' })));
      given(...team('vic'), started)
        .when(command('cancel-experiment', as('vic')))
        .thenFails(ProjectNotFoundError);
    });
  });

  describe('end', () => {
    const end = (error: ExperimentState['error']) => ({
      type: 'end-experiment' as const,
      actor: SYSTEM,
      now: NOW,
      experimentId: 'exp_1',
      projectId: 'p',
      error,
    });

    it('finishes or fails a running one, and changes nothing once it was cancelled', () => {
      given(...team(), started)
        .when(end(null))
        .then(event('experiment.finished', state({ status: 'finished', finishedAt: NOW.toISOString() })));
      const error = { code: 'budget_reached', message: 'stopped' };
      given(...team(), started)
        .when(end(error))
        .then(event('experiment.failed', state({ status: 'failed', error, finishedAt: NOW.toISOString() })));
      given(...team(), started, event('experiment.cancelled', state({ status: 'cancelled' })))
        .when(end(null))
        .then();
    });
  });

  describe('run lease (one process runs an experiment at a time)', () => {
    const at = (ms: number) => new Date(NOW.getTime() + ms);
    const claim = (runnerId: string, now = NOW, leaseMs = 30_000) =>
      ({ experimentId: 'exp_1', runnerId, now, leaseMs }) as const;
    const claimed = (runnerId: string, expiresAt: Date): NewControlEvent => ({
      type: 'experiment.run-claimed',
      entityKey: 'experiment-run:exp_1',
      projectId: 'p',
      data: { experimentId: 'exp_1', projectId: 'p', runnerId, expiresAt: expiresAt.toISOString() },
    });
    const decided = (history: NewControlEvent[], c: ReturnType<typeof claim>) =>
      claimExperimentRun(c, given(...team(), ...history).state);

    it('given a running experiment nobody runs, when a runner claims it, then it holds it for the lease', () => {
      expect(decided([started], claim('r1'))).toEqual([claimed('r1', at(30_000))]);
    });

    it('given a runner holding it, another one gets nothing until the lease lapses; the holder renews', () => {
      const held = [started, claimed('r1', at(30_000))];
      expect(decided(held, claim('r2', at(29_999)))).toEqual([]);
      expect(decided(held, claim('r2', at(30_000)))).toEqual([claimed('r2', at(60_000))]);
      expect(decided(held, claim('r1', at(10_000)))).toEqual([claimed('r1', at(40_000))]);
      expect(runHolder(given(...held).state, 'exp_1', at(29_999))).toBe('r1');
      expect(runHolder(given(...held).state, 'exp_1', at(30_000))).toBeUndefined();
    });

    it('a lease of 0 lets it go: the next runner takes it at once', () => {
      const released = [started, claimed('r1', NOW)];
      expect(decided(released, claim('r2'))).toEqual([claimed('r2', at(30_000))]);
    });

    it('given it is no longer running (cancelled elsewhere, ended, unknown), nobody gets it: a holder stops', () => {
      const cancelled = event('experiment.cancelled', state({ status: 'cancelled' }));
      expect(decided([started, claimed('r1', at(30_000)), cancelled], claim('r1'))).toEqual([]);
      expect(decided([], claim('r1'))).toEqual([]);
    });
  });
});
