// Which project the traces page shows.

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
