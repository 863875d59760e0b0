import { Inject } from '@nestjs/common';
import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import { Clock } from '../common/clock';
import type { GraphqlContext } from '../graphql/graphql-context';
import { ModelUsageReader, usageRange, type ModelUsageView } from './model-usage';

/** What `models` / `addProjectModel` hand over: the model id and the project it was authorized for. */
interface ShownModel {
  readonly id: string;
  readonly projectId: string;
}

interface UsageKey {
  readonly projectId: string;
  readonly from: number;
  readonly to: number;
  readonly model: string;
}

type UsageLoader = DataLoader<UsageKey, ModelUsageView, string>;

const rangeOf = (k: UsageKey) => `${k.projectId}/${k.from}/${k.to}`;
const keyOf = (k: UsageKey) => `${rangeOf(k)}/${k.model}`;

/**
 * `Model.usage`: the parent was authorized for its project by `models` or `addProjectModel`. One
 * query per project and range for a whole list of models (a loader per GraphQL operation).
 */
@Resolver('Model')
export class ModelUsageResolver {
  private readonly loaders = new WeakMap<GraphqlContext, UsageLoader>();

  constructor(
    @Inject(ModelUsageReader) private readonly reader: ModelUsageReader,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @ResolveField('usage')
  async usage(
    @Parent() model: ShownModel,
    @Args('from') from: string | null,
    @Args('to') to: string | null,
    @Context() context: GraphqlContext,
  ): Promise<ModelUsageView> {
    const range = usageRange(from, to, this.clock.now().getTime());
    return this.loaderFor(context).load({ projectId: model.projectId, ...range, model: model.id });
  }

  private loaderFor(context: GraphqlContext): UsageLoader {
    let loader = this.loaders.get(context);
    if (!loader) {
      loader = new DataLoader((keys) => this.load(keys), { cache: false, cacheKeyFn: keyOf });
      this.loaders.set(context, loader);
    }
    return loader;
  }

  private async load(keys: readonly UsageKey[]): Promise<ModelUsageView[]> {
    const found = new Map<string, ModelUsageView>();
    const groups = new Map<string, UsageKey[]>();
    for (const k of keys) groups.set(rangeOf(k), [...(groups.get(rangeOf(k)) ?? []), k]);
    for (const group of groups.values()) {
      const { projectId, from, to } = group[0];
      const usage = await this.reader.usage(projectId, { from, to }, [...new Set(group.map((k) => k.model))]);
      for (const k of group) found.set(keyOf(k), usage.get(k.model)!);
    }
    return keys.map((k) => found.get(keyOf(k))!);
  }
}
