import type { CatalogModel } from './catalog-model';

/** The models a project added itself (fine-tunes, self-hosted), as catalog entries. */
export abstract class ProjectModels {
  abstract forProject(projectId: string): readonly CatalogModel[];
}
