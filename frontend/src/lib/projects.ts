// Which project the pages show, and how the project menu lists them.
export interface ProjectChoice {
  id: string;
}

/** localStorage key of the project opened last. */
export const LAST_PROJECT_KEY = 'sightline.project';

/**
 * The project to open: the one asked for in the URL if the user has it, else the one opened last,
 * else the first; null when the user has no project.
 */
export function chooseProject(
  projects: readonly ProjectChoice[],
  requested: string | null | undefined,
  remembered: string | null | undefined,
): string | null {
  const has = (id: string | null | undefined): id is string => !!id && projects.some((p) => p.id === id);
  if (has(requested)) return requested;
  if (has(remembered)) return remembered;
  return projects[0]?.id ?? null;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

function localStore(): StorageLike | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled
  }
}

/** The project opened last in this browser, if storage works. */
export function rememberedProject(storage: StorageLike | null = localStore()): string | null {
  try {
    return storage?.getItem(LAST_PROJECT_KEY) ?? null;
  } catch {
    return null;
  }
}

export function rememberProject(projectId: string, storage: StorageLike | null = localStore()): void {
  try {
    storage?.setItem(LAST_PROJECT_KEY, projectId);
  } catch {
    // storage full or disabled: the choice just is not remembered
  }
}

/** `url`'s path and query with `?project=<id>` set (other parameters kept), for navigating. */
export function withProject(url: Pick<URL, 'pathname' | 'search' | 'hash'>, projectId: string): string {
  const params = new URLSearchParams(url.search);
  params.set('project', projectId);
  return `${url.pathname}?${params.toString()}${url.hash}`;
}

export interface OrganizationGroup<P> {
  organization: { id: string; name: string };
  projects: P[];
}

/** Projects grouped by organization, organizations and projects each sorted by name. */
export function groupByOrganization<P extends { name: string; organization: { id: string; name: string } }>(
  projects: readonly P[],
): OrganizationGroup<P>[] {
  const groups = new Map<string, OrganizationGroup<P>>();
  for (const project of projects) {
    let group = groups.get(project.organization.id);
    if (!group) {
      group = { organization: project.organization, projects: [] };
      groups.set(project.organization.id, group);
    }
    group.projects.push(project);
  }
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  return [...groups.values()]
    .sort((a, b) => byName(a.organization, b.organization))
    .map((group) => ({ ...group, projects: [...group.projects].sort(byName) }));
}
