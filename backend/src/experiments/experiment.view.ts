import type { ExperimentConfiguration, ExperimentState } from '@sightline/schemas';
import { nanoToUsd, usdToNano } from '../costs/price-math';
import type { ComparisonRow } from './experiment-progress';
import type { ItemResult } from './experiment-run';
import type { ExperimentSnapshot } from './experiments.service';

/** The GraphQL `ReplayConfiguration`. */
export function toConfigurationView(c: ExperimentConfiguration) {
  const changes = [
    c.model,
    ...Object.entries(c.params ?? {}).map(([k, v]) => `${k} ${JSON.stringify(v)}`),
    ...(c.system !== undefined ? ['system replaced'] : []),
    ...(c.prompt !== undefined ? [`prompt ${c.prompt}`] : []),
    ...(c.variables && Object.keys(c.variables).length
      ? [`variables ${Object.keys(c.variables).join(', ')}`]
      : []),
  ].filter((x): x is string => !!x);
  return {
    id: c.configurationId,
    label: changes.length ? changes.join(' · ') : 'as recorded',
    model: c.model ?? null,
    params: c.params ? JSON.stringify(c.params) : null,
    system: c.system ?? null,
    prompt: c.prompt ?? null,
    variables: c.variables ? JSON.stringify(c.variables) : null,
  };
}

/** The GraphQL `Experiment` without its field-resolved `comparison` and `replays`. */
export function toExperimentView({ state, progress, active }: ExperimentSnapshot) {
  return {
    id: state.experimentId,
    projectId: state.projectId,
    name: state.name,
    status: state.status.toUpperCase() as Uppercase<ExperimentState['status']>,
    active,
    filter: JSON.stringify(state.filter),
    sampleRate: state.sample.kind === 'rate' ? state.sample.rate : null,
    sampleCount: state.sample.kind === 'count' ? state.sample.count : null,
    configurations: state.configurations.map(toConfigurationView),
    concurrency: state.concurrency,
    budget: state.budgetUsd,
    estimate: state.estimateUsd,
    estimateUnpriced: state.estimateUnpriced ?? null,
    items: state.items,
    progress: { ...progress, spent: nanoToUsd(progress.spentNanoUsd) },
    error: state.error,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    finishedAt: state.finishedAt,
  };
}
export type ExperimentView = ReturnType<typeof toExperimentView>;

export function toComparisonView(row: ComparisonRow, configurations: readonly ExperimentConfiguration[]) {
  const configuration = configurations.find((c) => c.configurationId === row.configurationId);
  return {
    configuration: configuration ? toConfigurationView(configuration) : null,
    requests: row.requests,
    errors: row.errors,
    errorRate: row.errorRate,
    cost: row.costUsd === null ? null : nanoToUsd(usdToNano(row.costUsd)),
    unpricedCount: row.unpriced,
    latencyP50Ms: row.latencyP50Ms,
    latencyP95Ms: row.latencyP95Ms,
    timeToFirstTokenP50Ms: row.ttftP50Ms,
    outputSimilarity: row.outputSimilarity,
    compared: row.compared,
    scores: [],
  };
}

export function toReplayView(r: ItemResult) {
  return {
    generationId: r.generationId,
    configurationId: r.configurationId,
    replayGenerationId: r.replayGenerationId || null,
    status: r.status === 'failed' ? 'FAILED' : 'COMPLETED',
    errorCode: r.errorCode || null,
    cost: r.costNanoUsd === null ? null : nanoToUsd(r.costNanoUsd),
    latencyMs: r.latencyMs,
  };
}
