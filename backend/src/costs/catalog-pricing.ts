import { Inject, Injectable } from '@nestjs/common';
import type { RecordedUsage } from '@sightline/schemas';
import type { CatalogModel } from '../catalog/catalog-model';
import { ModelCatalog, type ResolvedModel } from '../catalog/model-catalog';
import { ProjectModels } from '../catalog/project-models';
import { isDomainError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { storedName } from '../control/decide/custom-prices';
import { CustomPriceIndex } from './custom-price-index';
import type { ChatCompletionRequest } from '../providers/wire/chat-completions';
import { costOfUsage, priceAt, type CompiledPrice } from './price-math';
import { PriceBook } from './price-book';
import { Pricing, type CostEstimate, type CostFlag, type GenerationCost } from './pricing';
import { countInputTokens, tokenizerFor } from './tokenizers';

/**
 * Prices from the shipped catalog and the projects' own models, compiled once. The price of a
 * generation is the one in force at its request time; a custom price wins over the project model's
 * own, which wins over the catalog's.
 */
@Injectable()
export class CatalogPricing extends Pricing {
  private readonly book: PriceBook;
  private customFrom: unknown;
  private custom = new CustomPriceIndex([]);

  constructor(
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(ProjectModels) private readonly projectModels: ProjectModels,
    @Inject(ControlPlane) private readonly control: ControlPlane,
  ) {
    super();
    this.book = new PriceBook(catalog.models);
  }

  costOf(
    projectId: string,
    model: string,
    provider: string | undefined,
    usage: RecordedUsage,
    at: Date,
  ): GenerationCost {
    if (provider === undefined) {
      const resolved = this.resolve(model, this.projectModels.forProject(projectId));
      if (resolved) return this.costOf(projectId, resolved.wireModel, resolved.provider, usage, at);
      // A model no rule routes (a fine-tune, a self-hosted one): a custom price for whichever
      // provider serves it (provider null) still applies; no provider matches the empty name.
      return costOfUsage(this.customPrices().priceAt(projectId, '', model, at.getTime()), usage);
    }
    return costOfUsage(this.priceOf(projectId, provider, model, at.getTime()), usage);
  }

  estimate(
    projectId: string,
    request: ChatCompletionRequest,
    models: readonly string[],
    at: Date,
  ): CostEstimate[] {
    const own = this.projectModels.forProject(projectId);
    return models.map((name) => {
      const resolved = this.resolve(name, own);
      const provider = resolved?.provider ?? null;
      const wire = resolved?.wireModel ?? name;
      const tokenizer = tokenizerFor(provider ?? '', wire);
      const inputTokens = countInputTokens(request, tokenizer);
      const maxOutputTokens = maxOutputOf(request, resolved?.model);
      const usage = (outputTokens: number): RecordedUsage => ({
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        cachedTokens: 0,
        reasoningTokens: 0,
        source: 'estimated',
        tokenizer: tokenizer.name,
      });
      const price = provider === null ? undefined : this.priceOf(projectId, provider, wire, at.getTime());
      const min = costOfUsage(price, usage(0));
      const max = costOfUsage(price, usage(maxOutputTokens));
      return {
        model: name,
        provider,
        inputTokens,
        inputTokensEstimated: true,
        tokenizer: tokenizer.name,
        minNanoUsd: min.totalNanoUsd,
        maxNanoUsd: max.totalNanoUsd,
        maxOutputTokens,
        priceVersion: max.priceVersion,
        flags: [...new Set<CostFlag>([...min.flags, ...max.flags])],
      };
    });
  }

  private priceOf(
    projectId: string,
    provider: string,
    model: string,
    atMs: number,
  ): CompiledPrice | undefined {
    const custom = this.customPrices();
    const id = this.book.idOf(provider, model);
    const negotiated =
      custom.priceAt(projectId, provider, model, atMs) ??
      (id === undefined || id === model ? undefined : custom.priceAt(projectId, provider, id, atMs)) ??
      (id === undefined && custom.has(projectId)
        ? this.byPricedName(projectId, provider, model, atMs)
        : undefined);
    if (negotiated) return negotiated;
    const own = this.ownModel(projectId, provider, model);
    const prices = own ? this.book.pricesOfModel(own) : this.book.prices(provider, model);
    return prices && priceAt(prices, atMs);
  }

  /** A name the book does not know (`openai/gpt-4o-mini` sent as is), looked up as custom prices are kept. */
  private byPricedName(projectId: string, provider: string, model: string, atMs: number) {
    const named = storedName({ model, provider });
    if (named.model === model) return undefined;
    return this.customPrices().priceAt(projectId, named.provider ?? provider, named.model, atMs);
  }

  /** Rebuilt only when the control state's custom prices changed (a new immutable map). */
  private customPrices(): CustomPriceIndex {
    const all = this.control.current.customPrices;
    if (all !== this.customFrom) {
      this.custom = new CustomPriceIndex(all.values());
      this.customFrom = all;
    }
    return this.custom;
  }

  private ownModel(projectId: string, provider: string, model: string): CatalogModel | undefined {
    for (const own of this.projectModels.forProject(projectId))
      if (own.provider === provider && (own.wireModel === model || own.id === model) && own.prices.length)
        return own;
    return undefined;
  }

  private resolve(name: string, own: readonly CatalogModel[]): ResolvedModel | undefined {
    try {
      return this.catalog.resolve(name, own);
    } catch (error) {
      if (isDomainError(error)) return undefined;
      throw error;
    }
  }
}

/**
 * The request's output cap (`max_completion_tokens`, else `max_tokens`) within the model's own
 * limit (no model writes more than it can, whatever is asked), else the model's, per choice × `n`.
 */
function maxOutputOf(request: ChatCompletionRequest, model: CatalogModel | undefined): number {
  const asked = request.max_completion_tokens ?? request.max_tokens;
  const limit = model?.maxOutputTokens;
  const cap = typeof asked === 'number' && asked > 0 ? Math.min(asked, limit ?? asked) : (limit ?? 0);
  const choices = typeof request.n === 'number' && request.n > 1 ? request.n : 1;
  return Math.floor(cap) * choices;
}
