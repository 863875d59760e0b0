import { Inject } from '@nestjs/common';
import {
  Args,
  Context,
  Mutation,
  Parent,
  Query,
  ResolveField,
  Resolver,
  Subscription,
} from '@nestjs/graphql';
import { jsonObjectOf, variablesFromJson, type ExperimentState } from '@sightline/schemas';
import type { Filter } from '../analytics/filter';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { parseUsd } from '../budgets/usd';
import { InvalidInputError } from '../common/errors';
import { nanoToUsd } from '../costs/price-math';
import type { GraphqlContext } from '../graphql/graphql-context';
import { toComparisonView, toExperimentView, toReplayView, type ExperimentView } from './experiment.view';
import { Experiments, type ExperimentRequest } from './experiments.service';

interface StartInput {
  name?: string | null;
  filter?: Filter | null;
  sample?: { rate?: number | null; count?: number | null } | null;
  configurations: {
    model?: string | null;
    params?: string | null;
    system?: string | null;
    prompt?: string | null;
    variables?: string | null;
  }[];
  concurrency: number;
  budget: string;
}

const MAX_LIST = 50;
const MAX_REPLAYS = 100;
const MAX_KEY_LENGTH = 128;

const bad = (message: string, reason: string, param: string) => new InvalidInputError(message, reason, param);

function sampleOf(sample: StartInput['sample']): ExperimentState['sample'] {
  const rate = sample?.rate ?? null;
  const count = sample?.count ?? null;
  if (rate !== null && count !== null)
    throw bad('Sample by rate or by count, not both', 'invalid_sample', 'sample');
  if (rate !== null) {
    if (!(rate > 0 && rate <= 1))
      throw bad('A sample rate is above 0 and at most 1', 'invalid_sample', 'sample.rate');
    return { kind: 'rate', rate };
  }
  if (count !== null) {
    if (!Number.isInteger(count) || count < 1 || count > 1_000_000)
      throw bad('A sample count is 1 to 1,000,000', 'invalid_sample', 'sample.count');
    return { kind: 'count', count };
  }
  return { kind: 'all' };
}

function paramsOf(text: string | null | undefined, index: number): Record<string, unknown> | undefined {
  const value = jsonObjectOf(text ?? '');
  if (value === null)
    throw bad('params must be a JSON object', 'invalid_params', `configurations.${index}.params`);
  return value;
}

/** `variables` JSON text as an object of texts; blank: none. */
function variablesOf(text: string | null | undefined, index: number): Record<string, string> | undefined {
  const value = variablesFromJson(text ?? '');
  if (value === null)
    throw bad(
      'variables must be a JSON object of texts, e.g. {"customer":"Ada"}',
      'invalid_prompt_variables',
      `configurations.${index}.variables`,
    );
  return value;
}

/** The caller's input as the service takes it. @throws InvalidInputError */
export function requestOf(input: StartInput): ExperimentRequest {
  const configurations = input.configurations.map((c, i) => {
    const [params, variables] = [paramsOf(c.params, i), variablesOf(c.variables, i)];
    return {
      ...(c.model?.trim() ? { model: c.model.trim() } : {}),
      ...(params ? { params } : {}),
      ...(c.system !== null && c.system !== undefined ? { system: c.system } : {}),
      ...(c.prompt?.trim() ? { prompt: c.prompt.trim() } : {}),
      ...(variables ? { variables } : {}),
    };
  });
  const models = configurations.map((c) => c.model ?? 'as recorded');
  if (parseUsd(input.budget) === undefined)
    throw bad('The budget must be a USD amount, e.g. 5 or 2.50', 'invalid_budget', 'budget');
  return {
    name: input.name?.trim() || `Replay on ${models.join(', ')}`.slice(0, 200),
    filter: (input.filter ?? {}) as Record<string, unknown>,
    sample: sampleOf(input.sample),
    configurations,
    concurrency: input.concurrency,
    budgetUsd: input.budget.trim(),
  };
}

function checkKey(key: string): void {
  if (!key.trim() || key.length > MAX_KEY_LENGTH)
    throw bad(
      `idempotencyKey must be 1 to ${MAX_KEY_LENGTH} characters`,
      'invalid_argument',
      'idempotencyKey',
    );
}

/** Experiments (bulk replay): members start, cancel and resume them; viewers follow and compare. */
@Resolver('Experiment')
export class ExperimentsResolver {
  constructor(
    @Inject(Experiments) private readonly experiments: Experiments,
    @Inject(CallerResolver) private readonly callers: CallerResolver,
  ) {}

  @Query('experiments')
  async list(
    @Args('projectId') projectId: string | null,
    @Args('first') first: number,
    @Context() context: GraphqlContext,
  ): Promise<ExperimentView[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_LIST)
      throw bad(`first must be between 1 and ${MAX_LIST}`, 'invalid_argument', 'first');
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return (await this.experiments.experiments(access.projectId, first)).map(toExperimentView);
  }

  @Query('experiment')
  async one(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<ExperimentView> {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return toExperimentView(await this.experiments.experiment(access.projectId, id));
  }

  @Query('experimentEstimate')
  async estimate(
    @Args('projectId') projectId: string | null,
    @Args('input') input: StartInput,
    @Args('idempotencyKey') idempotencyKey: string,
    @Context() context: GraphqlContext,
  ) {
    checkKey(idempotencyKey);
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'member');
    const request = requestOf(input);
    const estimate = await this.experiments.estimate(access.projectId, request, idempotencyKey);
    return {
      generations: estimate.generations,
      requests: estimate.requests,
      cost: nanoToUsd(estimate.estimateNanoUsd),
      unpriced: estimate.unpriced,
      overBudget: estimate.estimateNanoUsd > (parseUsd(request.budgetUsd) ?? 0n),
    };
  }

  @Mutation('startExperiment')
  async start(
    @Args('projectId') projectId: string | null,
    @Args('input') input: StartInput,
    @Args('idempotencyKey') idempotencyKey: string,
    @Context() context: GraphqlContext,
  ): Promise<ExperimentView> {
    checkKey(idempotencyKey);
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    const started = await this.experiments.start(access, actorOf(caller), requestOf(input), idempotencyKey);
    return toExperimentView(started);
  }

  @Mutation('cancelExperiment')
  async cancel(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<ExperimentView> {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    return toExperimentView(await this.experiments.cancel(access, actorOf(caller), id));
  }

  @Mutation('resumeExperiment')
  async resume(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<ExperimentView> {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'member');
    return toExperimentView(await this.experiments.resume(access, actorOf(caller), id));
  }

  @Subscription('experimentProgress', { resolve: (view: unknown) => view })
  async progress(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ): Promise<AsyncIterable<ExperimentView>> {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'viewer');
    await this.experiments.experiment(access.projectId, id); // NOT_FOUND before the stream starts
    const snapshots = this.experiments.watch(access.projectId, id);
    const allowed = () => this.callers.stillAllowed(caller, access.projectId, 'viewer');
    return (async function* () {
      for await (const snapshot of snapshots) {
        if (!allowed()) return;
        yield toExperimentView(snapshot);
      }
    })();
  }

  @ResolveField('comparison')
  async comparison(@Parent() experiment: ExperimentView) {
    const { rows, configurations } = await this.experiments.comparison(experiment.projectId, experiment.id);
    return rows.map((row) => toComparisonView(row, configurations));
  }

  @ResolveField('replays')
  async replays(@Parent() experiment: ExperimentView, @Args('first') first: number) {
    if (!Number.isInteger(first) || first < 1 || first > MAX_REPLAYS)
      throw bad(`first must be between 1 and ${MAX_REPLAYS}`, 'invalid_argument', 'first');
    return (await this.experiments.replays(experiment.projectId, experiment.id, first)).map(toReplayView);
  }
}
