import { Inject, Injectable } from '@nestjs/common';
import type { ProjectModelState } from '@sightline/schemas';
import { ControlPlane } from '../control/control-plane';
import type { CatalogModel, ModelPrice } from './catalog-model';
import { ModelCatalog } from './model-catalog';
import { ProjectModels } from './project-models';

/**
 * Projects' own models from the control plane, as catalog entries: the base model's limits,
 * modalities and prices unless the project gave its own. Rebuilt when the control state changes.
 */
@Injectable()
export class ControlProjectModels extends ProjectModels {
  private indexedFrom: unknown;
  private index = new Map<string, CatalogModel[]>();

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
  ) {
    super();
  }

  forProject(projectId: string): readonly CatalogModel[] {
    const all = this.control.current.projectModels;
    if (all !== this.indexedFrom) {
      const index = new Map<string, CatalogModel[]>();
      for (const model of all.values()) {
        if (model.removedAt) continue;
        index.set(model.projectId, [...(index.get(model.projectId) ?? []), this.entryOf(model)]);
      }
      this.index = index;
      this.indexedFrom = all;
    }
    return this.index.get(projectId) ?? [];
  }

  /** The state a project model was added with, by its catalog entry's id (the name callers send). */
  stateOf(projectId: string, name: string): ProjectModelState | undefined {
    return [...this.control.current.projectModels.values()].find(
      (m) => m.projectId === projectId && m.name === name && !m.removedAt,
    );
  }

  /** The last model of the project by this name that was removed, when none by that name is live. */
  removedNamed(projectId: string, name: string): ProjectModelState | undefined {
    if (this.stateOf(projectId, name)) return undefined;
    let last: ProjectModelState | undefined;
    for (const m of this.control.current.projectModels.values())
      if (
        m.projectId === projectId &&
        m.name === name &&
        m.removedAt &&
        (!last || m.removedAt > last.removedAt!)
      )
        last = m;
    return last;
  }

  private entryOf(model: ProjectModelState): CatalogModel {
    const base = model.baseModel ? this.catalog.get(model.baseModel) : undefined;
    return {
      id: model.name,
      provider: model.provider,
      wireModel: model.wireModel,
      contextWindow: model.contextWindow ?? base?.contextWindow ?? 0,
      maxOutputTokens: model.maxOutputTokens ?? base?.maxOutputTokens ?? 0,
      input: base?.input ?? ['text'],
      output: base?.output ?? ['text'],
      tools: base?.tools ?? false,
      structuredOutput: base?.structuredOutput ?? false,
      prices: ownPrice(model) ?? base?.prices ?? [],
    };
  }
}

/** The project's own price, from the day it was added, when it gave one. */
function ownPrice(model: ProjectModelState): ModelPrice[] | undefined {
  if (model.inputPerMTok === null && model.outputPerMTok === null) return undefined;
  const day = model.createdAt.slice(0, 10);
  return [
    {
      effectiveFrom: day,
      currency: 'USD',
      inputPerMTok: model.inputPerMTok ?? 0,
      outputPerMTok: model.outputPerMTok ?? 0,
      cachedInputPerMTok: null,
      source: { url: `sightline:project-model/${model.modelId}`, checkedOn: day },
      version: `project-model:${model.modelId}`,
    },
  ];
}
