// The ids of the last traces list shown, so that `j` / `k` on a trace's page open the next and the
// previous trace of that list.
let listed: readonly string[] = [];

export function rememberListedTraces(ids: readonly string[]): void {
  listed = ids;
}

/** The trace `offset` places from `id` in the last list (1 = the next, older one); null when none. */
export function neighbourOf(id: string, offset: number, ids: readonly string[] = listed): string | null {
  const index = ids.indexOf(id);
  if (index < 0) return null;
  return ids[index + offset] ?? null;
}
