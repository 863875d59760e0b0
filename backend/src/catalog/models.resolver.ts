import { Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { actorOf, CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { AvailableModels, type ListedModel } from './available-models';
import { ControlPlane } from '../control/control-plane';
import { customModelPrice, customPriceOn } from '../costs/custom-price-index';
import { priceOn, type ModelPrice, type TokenRates } from './catalog-model';
import { ControlProjectModels } from './control-project-models';
import { PRICE_TABLE_VERSION } from './models.data';
import { AddProjectModelCommand, RemoveProjectModelCommand } from './project-models.commands';

interface AddInput {
  readonly name: string;
  readonly provider: string;
  readonly wireModel: string;
  readonly baseModel?: string | null;
  readonly contextWindow?: number | null;
  readonly maxOutputTokens?: number | null;
  readonly inputPerMTok?: number | null;
  readonly outputPerMTok?: number | null;
}

const rates = (r: TokenRates) => ({
  inputPerMTok: r.inputPerMTok,
  outputPerMTok: r.outputPerMTok,
  cachedInputPerMTok: r.cachedInputPerMTok,
  cacheWritePerMTok: r.cacheWritePerMTok ?? null,
  reasoningPerMTok: r.reasoningPerMTok ?? null,
  audioInputPerMTok: r.audioInputPerMTok ?? null,
  audioOutputPerMTok: r.audioOutputPerMTok ?? null,
  imageInputPerMTok: r.imageInputPerMTok ?? null,
  imageOutputPerMTok: r.imageOutputPerMTok ?? null,
});

const priceOut = (p: ModelPrice) => ({
  ...rates(p),
  effectiveFrom: p.effectiveFrom,
  effectiveUntil: p.effectiveUntil ?? null,
  currency: p.currency,
  perRequestUsd: p.perRequestUsd ?? null,
  tiers: (p.tiers ?? []).map((t) => ({ aboveInputTokens: t.aboveInputTokens, ...rates(t) })),
  priceVersion: p.version ?? `catalog:${PRICE_TABLE_VERSION}`,
  custom: p.version?.startsWith('custom:') ?? false,
  sourceUrl: p.source.url,
  checkedOn: p.source.checkedOn,
});

/** The catalog and a project's own models: read by viewers, changed by admins. */
@Resolver()
export class ModelsResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AvailableModels) private readonly available: AvailableModels,
    @Inject(ControlProjectModels) private readonly own: ControlProjectModels,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {}

  private shown(projectId: string, { model, own, usable }: ListedModel) {
    const state = own ? this.own.stateOf(projectId, model.id) : undefined;
    const today = new Date().toISOString().slice(0, 10);
    const price = priceOn(model, today);
    const custom = customPriceOn(
      this.control.current.customPrices.values(),
      projectId,
      model.provider,
      model.id,
      today,
    );
    return {
      id: model.id,
      provider: model.provider,
      wireModel: model.wireModel ?? model.id,
      projectModelId: state?.modelId ?? null,
      baseModel: state?.baseModel ?? null,
      contextWindow: model.contextWindow || null,
      maxOutputTokens: model.maxOutputTokens || null,
      inputModalities: model.input,
      outputModalities: model.output,
      tools: model.tools,
      structuredOutput: model.structuredOutput,
      price: price ? priceOut(price) : null,
      priceInForce: custom ? priceOut(customModelPrice(custom)) : price ? priceOut(price) : null,
      prices: model.prices.map(priceOut),
      usable,
      // Not in the schema: what `Model.usage` is scoped to (the project this list was authorized for).
      projectId,
    };
  }

  @Query('models')
  models(
    @Args('projectId') projectId: string | null,
    @Args('includeUnusable') includeUnusable: boolean,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'viewer');
    return this.available
      .list(access.projectId)
      .filter((m) => includeUnusable || m.usable)
      .map((m) => this.shown(access.projectId, m));
  }

  @Mutation('addProjectModel')
  async add(
    @Args('projectId') projectId: string | null,
    @Args('input') input: AddInput,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    const added = await this.commands.execute(
      new AddProjectModelCommand(actorOf(caller), access.projectId, {
        name: input.name,
        provider: input.provider,
        wireModel: input.wireModel,
        baseModel: input.baseModel ?? null,
        contextWindow: input.contextWindow ?? null,
        maxOutputTokens: input.maxOutputTokens ?? null,
        inputPerMTok: input.inputPerMTok ?? null,
        outputPerMTok: input.outputPerMTok ?? null,
      }),
    );
    const listed = this.available.list(access.projectId).find((m) => m.own && m.model.id === added.name)!;
    return this.shown(access.projectId, listed);
  }

  @Mutation('removeProjectModel')
  async remove(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const caller = callerOf(this.callers, context);
    const access = this.callers.authorize(caller, projectId, 'admin');
    await this.commands.execute(new RemoveProjectModelCommand(actorOf(caller), access.projectId, id));
    return true;
  }
}
