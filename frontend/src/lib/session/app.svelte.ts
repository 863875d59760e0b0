// What the root layout hands every signed-in page (through `setAppContext`): the viewer, the chosen
// project and the actions that change them.
import type { CreateProjectMutation } from '../graphql/generated';
import { chooseProject, rememberedProject, rememberProject, withProject } from '../projects';
import type { AppContext } from './context';
import type { Viewer, ViewerProject, ViewerSession } from './viewer.svelte';

export class AppSession implements AppContext {
  constructor(
    private readonly session: ViewerSession,
    /** The page's URL, read reactively (`page.url` of `$app/state`). */
    private readonly url: () => URL,
    /** Client-side navigation to an app path with a query (`navigate` of `$lib/navigation`). */
    private readonly go: (href: string) => Promise<void>,
  ) {}

  get viewer(): Viewer {
    const viewer = this.session.viewer;
    if (!viewer) throw new Error('the viewer is not loaded');
    return viewer;
  }

  // Field initializers run before the constructor assigns its parameters: `$derived.by` reads them later.
  /** `?project=` if the user has it, else the project opened last, else the first; null for none. */
  readonly projectId: string | null = $derived.by(() =>
    chooseProject(this.#projects(), this.url().searchParams.get('project'), rememberedProject()),
  );

  readonly project: ViewerProject | null = $derived.by(
    () => this.#projects().find((p) => p.id === this.projectId) ?? null,
  );

  #projects(): readonly ViewerProject[] {
    return this.session.viewer?.projects ?? [];
  }

  async selectProject(projectId: string): Promise<void> {
    rememberProject(projectId);
    await this.go(withProject(this.url(), projectId));
  }

  refreshViewer(): Promise<void> {
    return this.session.refresh();
  }

  /** After "New project": loads the viewer again (it has the project now) and opens the project. */
  async projectCreated(created: CreateProjectMutation['createProject']): Promise<void> {
    await this.session.refresh();
    await this.selectProject(created.id);
  }
}
