import { Inject } from '@nestjs/common';
import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import DataLoader from 'dataloader';
import type { GraphqlContext } from '../graphql/graphql-context';
import type { TraceDetail } from '../traces/trace-queries';
import { RestatementStore, type LatestRestatedCost } from './restatement-store';
import { toRestatedCostView } from './restatement.view';

interface SpanRef {
  readonly projectId: string;
  readonly spanId: string;
}

type CostLoader = DataLoader<SpanRef, LatestRestatedCost | undefined, string>;

const keyOf = (span: SpanRef): string => `${span.projectId}/${span.spanId}`;

/**
 * `Generation.restatedCost`, beside the cost it was recorded with. The parent generation was already
 * authorized for its project; one query per page of generations (a loader per GraphQL operation).
 */
@Resolver('Generation')
export class RestatedCostResolver {
  private readonly loaders = new WeakMap<GraphqlContext, CostLoader>();

  constructor(@Inject(RestatementStore) private readonly store: RestatementStore) {}

  @ResolveField('restatedCost')
  async restatedCost(@Parent() generation: SpanRef, @Context() context: GraphqlContext) {
    const cost = await this.loaderFor(context).load({
      projectId: generation.projectId,
      spanId: generation.spanId,
    });
    return cost ? toRestatedCostView(cost) : null;
  }

  private loaderFor(context: GraphqlContext): CostLoader {
    let loader = this.loaders.get(context);
    if (!loader) {
      loader = new DataLoader((spans) => this.latest(spans), { cache: false, cacheKeyFn: keyOf });
      this.loaders.set(context, loader);
    }
    return loader;
  }

  private async latest(spans: readonly SpanRef[]): Promise<(LatestRestatedCost | undefined)[]> {
    const found = new Map<string, LatestRestatedCost>();
    for (const projectId of new Set(spans.map((s) => s.projectId))) {
      const ids = spans.filter((s) => s.projectId === projectId).map((s) => s.spanId);
      for (const [spanId, cost] of await this.store.latestCosts(projectId, ids))
        found.set(keyOf({ projectId, spanId }), cost);
    }
    return spans.map((s) => found.get(keyOf(s)));
  }
}

/**
 * `TraceDetail.restatedCosts`: the trace's generation spans' newest restated costs (the trace was
 * authorized for its project by `trace(id)`), in span order.
 */
@Resolver('TraceDetail')
export class TraceRestatedCostsResolver {
  constructor(@Inject(RestatementStore) private readonly store: RestatementStore) {}

  @ResolveField('restatedCosts')
  async restatedCosts(@Parent() detail: TraceDetail) {
    const ids = detail.spans.filter((s) => s.kind === 'GENERATION').map((s) => s.id);
    const costs = await this.store.latestCosts(detail.trace.projectId, ids);
    return ids.flatMap((spanId) => {
      const cost = costs.get(spanId);
      return cost ? [{ spanId, restatedCost: toRestatedCostView(cost) }] : [];
    });
  }
}
