// What the root layout hands every signed-in page (an `AppSession`, app.svelte.ts): the viewer, the
// chosen project and the actions that change them. Pages below the layout only render once the viewer
// has loaded.
import { getContext, setContext } from 'svelte';
import type { Viewer, ViewerProject } from './viewer.svelte';

export interface AppContext {
  readonly viewer: Viewer;
  /** The project the page shows (`?project=`, else the one opened last, else the first). */
  readonly project: ViewerProject | null;
  /** Opens `projectId`: sets `?project=` on the current page and remembers it. */
  selectProject(projectId: string): Promise<void>;
  /** Loads the viewer again (projects or roles changed). */
  refreshViewer(): Promise<void>;
}

const KEY = Symbol('sightline.app');

export function setAppContext(context: AppContext): void {
  setContext(KEY, context);
}

export function appContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (!context) throw new Error('appContext() is only available below the root layout');
  return context;
}

/** The chosen project, for pages the layout only renders when there is one. */
export function currentProject(context: AppContext): ViewerProject {
  if (!context.project) throw new Error('this page needs a project');
  return context.project;
}
