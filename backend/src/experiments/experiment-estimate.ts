import type { ExperimentConfiguration, GenerationRequested } from '@sightline/schemas';
import type { Pricing } from '../costs/pricing';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import type { RunItem } from './experiment-run';
import type { MatchedGeneration } from './experiment-store';

/** The recorded request as the estimator reads it, with a configuration's overrides applied. Pure. */
export function requestUnder(
  request: GenerationRequested['data'],
  configuration: ExperimentConfiguration,
  /** The model the replay goes to when known (a prompt version may set it). */
  model?: string,
): ChatCompletionRequest {
  const recorded = request.messages.map((m) => ({
    role: m.role,
    content: m.content,
    ...(m.toolCalls?.length ? { tool_calls: m.toolCalls } : {}),
  }));
  const messages =
    configuration.system === undefined
      ? recorded
      : [{ role: 'system', content: configuration.system }, ...recorded.filter((m) => m.role !== 'system')];
  return {
    ...request.params,
    ...configuration.params,
    model: model ?? configuration.model ?? request.model,
    messages,
    ...(request.tools?.length ? { tools: request.tools } : {}),
  } as ChatCompletionRequest;
}

/**
 * The expected cost of a replay from the costs estimator's range: its input, plus as many output
 * tokens as the original answered (at most the request's cap), at the replay model's price.
 */
export function expectedNanoUsd(
  estimate: { minNanoUsd: bigint; maxNanoUsd: bigint; maxOutputTokens: number },
  outputTokens: number,
): bigint {
  const cap = Math.max(estimate.maxOutputTokens, 1);
  const tokens = BigInt(Math.min(Math.max(outputTokens, 0), cap));
  const span = estimate.maxNanoUsd - estimate.minNanoUsd;
  return estimate.minNanoUsd + (span * tokens + BigInt(cap) - 1n) / BigInt(cap);
}

export interface PlannedRun {
  /** Item by item, each under every configuration (the order replays go in). */
  readonly items: RunItem[];
  /** Generations that will be replayed (those whose request is still archived). */
  readonly generations: number;
  readonly estimateNanoUsd: bigint;
  /** Replays the estimator could not price (they count as free in the estimate). */
  readonly unpriced: number;
}

/** Every matched generation whose request is archived, under every configuration, with estimates. */
export function planRun(
  pricing: Pricing,
  projectId: string,
  matched: readonly MatchedGeneration[],
  requests: ReadonlyMap<string, GenerationRequested>,
  configurations: readonly ExperimentConfiguration[],
  at: Date,
  /** The model each replay goes to, when the configuration alone does not say (a prompt version's). */
  modelFor: (
    request: GenerationRequested,
    configuration: ExperimentConfiguration,
  ) => string | undefined = () => undefined,
): PlannedRun {
  const items: RunItem[] = [];
  let total = 0n;
  let unpriced = 0;
  let generations = 0;
  for (const generation of matched) {
    const request = requests.get(generation.generationId);
    if (!request) continue;
    generations++;
    for (const configuration of configurations) {
      const wire = requestUnder(request.data, configuration, modelFor(request, configuration));
      const [estimate] = pricing.estimate(projectId, wire, [wire.model], at);
      if (estimate.flags.includes('unpriced')) unpriced++;
      const estimateNanoUsd = expectedNanoUsd(estimate, generation.outputTokens);
      total += estimateNanoUsd;
      items.push({
        generationId: generation.generationId,
        configurationId: configuration.configurationId,
        estimateNanoUsd,
      });
    }
  }
  return { items, generations, estimateNanoUsd: total, unpriced };
}
