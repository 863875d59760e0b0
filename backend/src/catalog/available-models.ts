import { Inject, Injectable } from '@nestjs/common';
import { ProviderAdapters } from '../providers/adapters';
import { CredentialSource } from '../providers/credentials';
import type { CatalogModel } from './catalog-model';
import { ModelCatalog } from './model-catalog';
import { ProjectModels } from './project-models';

export interface ListedModel {
  readonly model: CatalogModel;
  /** A model the project added itself. */
  readonly own: boolean;
  /** This project can call it now: the build has the provider's adapter and a credential is set. */
  readonly usable: boolean;
}

/** The models a project sees: its own first, then the catalog's, each marked usable or not. */
@Injectable()
export class AvailableModels {
  constructor(
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(ProjectModels) private readonly projectModels: ProjectModels,
    @Inject(ProviderAdapters) private readonly adapters: ProviderAdapters,
    @Inject(CredentialSource) private readonly credentials: CredentialSource,
  ) {}

  list(projectId: string): ListedModel[] {
    const usable = new Map<string, boolean>();
    const usableFor = (provider: string): boolean => {
      if (!usable.has(provider))
        usable.set(
          provider,
          !!this.adapters.get(provider) && this.credentials.forProject(projectId, provider).length > 0,
        );
      return usable.get(provider)!;
    };
    const own = this.projectModels.forProject(projectId);
    const shadowed = new Set(own.map((m) => m.id));
    return [
      ...own.map((model) => ({ model, own: true, usable: usableFor(model.provider) })),
      ...this.catalog.models
        .filter((model) => !shadowed.has(model.id))
        .map((model) => ({ model, own: false, usable: usableFor(model.provider) })),
    ];
  }
}
