import { Inject } from '@nestjs/common';
import { onceRequest } from '../control/idempotency';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { CustomPriceState } from '@sightline/schemas';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import type { GraphqlContext } from '../graphql/graphql-context';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import { CostAnalytics, type CostDimension } from './cost-analytics';
import { RemoveCustomPriceCommand, SetCustomPriceCommand } from './custom-prices.commands';
import { nanoToUsd } from './price-math';
import { Pricing, type CostEstimate } from './pricing';

interface CustomPriceArgs {
  readonly model: string;
  readonly provider?: string | null;
  readonly effectiveFrom: string;
  readonly effectiveUntil?: string | null;
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  readonly cachedInputPerMTok?: number | null;
  readonly cacheWritePerMTok?: number | null;
  readonly reasoningPerMTok?: number | null;
  readonly perRequestUsd?: number | null;
  readonly note?: string | null;
}

interface EstimateArgs {
  readonly messages: string;
  readonly tools?: string | null;
  readonly models: string[];
  readonly maxOutputTokens?: number | null;
}

const MAX_ESTIMATE_MODELS = 20;

function shown(p: CustomPriceState) {
  return {
    id: p.priceId,
    model: p.model,
    provider: p.provider,
    effectiveFrom: p.effectiveFrom,
    effectiveUntil: p.effectiveUntil,
    inputPerMTok: p.inputPerMTok,
    outputPerMTok: p.outputPerMTok,
    cachedInputPerMTok: p.cachedInputPerMTok,
    cacheWritePerMTok: p.cacheWritePerMTok,
    reasoningPerMTok: p.reasoningPerMTok,
    perRequestUsd: p.perRequestUsd,
    note: p.note,
    priceVersion: `custom:${p.priceId}`,
    createdAt: p.createdAt,
  };
}

function estimateOut(e: CostEstimate) {
  const priced = !e.flags.includes('unpriced');
  return {
    ...e,
    minCost: priced ? nanoToUsd(e.minNanoUsd) : null,
    maxCost: priced ? nanoToUsd(e.maxNanoUsd) : null,
    flags: e.flags.map((f) => f.toUpperCase()),
  };
}

/** A JSON array from a GraphQL string argument. @throws InvalidInputError `invalid_request` */
function jsonArray(text: string, param: string): unknown[] {
  try {
    const value = JSON.parse(text) as unknown;
    if (Array.isArray(value)) return value;
  } catch {
    // the typed error below
  }
  throw new InvalidInputError(`${param} must be a JSON array`, 'invalid_request', param);
}

/** Custom prices (viewers read, admins change), estimates (members) and spend analytics (viewers). */
@Resolver()
export class CostsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(Pricing) private readonly pricing: Pricing,
    @Inject(CostAnalytics) private readonly analytics: CostAnalytics,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Query('customPrices')
  customPrices(@Args('projectId') projectId: string | null, @Context() context: GraphqlContext) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return [...this.control.current.customPrices.values()]
      .filter((p) => p.projectId === access.projectId && !p.removedAt)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(shown);
  }

  @Mutation('setCustomPrice')
  async set(
    @Args('projectId') projectId: string | null,
    @Args('input') input: CustomPriceArgs,
    @Args('idempotencyKey') idempotencyKey: string | null,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    const actor = actorOf(caller);
    const once = onceRequest(actor, access.projectId, 'setCustomPrice', idempotencyKey, input);
    const price = await this.commands.execute(
      new SetCustomPriceCommand(
        actor,
        access.projectId,
        {
          model: input.model,
          provider: input.provider ?? null,
          effectiveFrom: input.effectiveFrom,
          effectiveUntil: input.effectiveUntil ?? null,
          inputPerMTok: input.inputPerMTok,
          outputPerMTok: input.outputPerMTok,
          cachedInputPerMTok: input.cachedInputPerMTok ?? null,
          cacheWritePerMTok: input.cacheWritePerMTok ?? null,
          reasoningPerMTok: input.reasoningPerMTok ?? null,
          perRequestUsd: input.perRequestUsd ?? null,
          note: input.note ?? '',
        },
        once,
      ),
    );
    return shown(price);
  }

  @Mutation('removeCustomPrice')
  async remove(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    await this.commands.execute(new RemoveCustomPriceCommand(actorOf(caller), access.projectId, id));
    return true;
  }

  @Query('costEstimate')
  costEstimate(
    @Args('projectId') projectId: string | null,
    @Args('input') input: EstimateArgs,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'member');
    if (input.models.length === 0 || input.models.length > MAX_ESTIMATE_MODELS)
      throw new InvalidInputError(`Give 1 to ${MAX_ESTIMATE_MODELS} models`, 'invalid_request', 'models');
    const { maxOutputTokens } = input;
    if (maxOutputTokens != null && maxOutputTokens < 1)
      throw new InvalidInputError(
        `maxOutputTokens must be a positive integer (got ${maxOutputTokens}); leave it out for each model's own limit`,
        'invalid_request',
        'maxOutputTokens',
      );
    const request = {
      model: input.models[0],
      messages: jsonArray(input.messages, 'messages'),
      ...(input.tools ? { tools: jsonArray(input.tools, 'tools') } : {}),
      ...(maxOutputTokens ? { max_completion_tokens: maxOutputTokens } : {}),
    } as ChatCompletionRequest;
    return this.pricing.estimate(access.projectId, request, input.models, this.clock.now()).map(estimateOut);
  }

  @Query('costs')
  costs(
    @Args('projectId') projectId: string | null,
    @Args('by') by: CostDimension,
    @Args('from') from: string,
    @Args('to') to: string,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.analytics.groups(access.projectId, by, from, to);
  }
}
