// Data deletion (`deleteData`): what each scope deletes and the typed confirmation it asks for.
import type { DataDeletionScope } from './graphql/generated';

/** The word typed to confirm deleting a trace or an end user's data. */
export const CONFIRM_WORD = 'delete';

/**
 * What the user must type to confirm: the project's name for the whole project, else the word
 * `delete`. Null while there is nothing to delete yet (no target).
 */
export function confirmationFor(
  scope: DataDeletionScope,
  target: string,
  projectName: string,
): string | null {
  if (scope === 'PROJECT') return projectName.trim() || null;
  return target.trim() ? CONFIRM_WORD : null;
}

/** Whether `typed` confirms; surrounding whitespace is ignored, case is not. */
export function confirmed(expected: string | null, typed: string): boolean {
  return expected !== null && typed.trim() === expected;
}
