// Keyboard shortcuts: single keys without modifiers, ignored while the user types in a field. Pages
// register theirs while mounted; the help dialog (`?`) lists whatever is registered.
import { untrack } from 'svelte';

export interface Shortcut {
  /** `KeyboardEvent.key`, e.g. `/`, `j`, `?`. */
  readonly key: string;
  readonly description: string;
  readonly run: () => void;
}

/** True when the key press belongs to a text field (or carries a modifier other than Shift). */
export function ignoredKeyPress(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target' | 'defaultPrevented'>,
): boolean {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return true;
  const target = event.target as (Partial<HTMLElement> & { tagName?: string }) | null;
  if (!target?.tagName) return false;
  const tag = target.tagName.toLowerCase();
  return tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable === true;
}

export class Shortcuts {
  #registered = $state<Shortcut[]>([]);

  /** What is registered now, latest first (a page's keys shadow the app's). */
  get list(): readonly Shortcut[] {
    return this.#registered;
  }

  /** Registers `shortcut`; returns the function that removes it (call it on destroy). */
  add(shortcut: Shortcut): () => void {
    // Untracked: pages call this in an $effect, which must not depend on the list it changes.
    untrack(() => (this.#registered = [shortcut, ...this.#registered]));
    return () => untrack(() => (this.#registered = this.#registered.filter((s) => s !== shortcut)));
  }

  /** Runs the shortcut of `event` if one is registered; true when it ran. */
  handle(event: KeyboardEvent): boolean {
    if (ignoredKeyPress(event)) return false;
    const shortcut = this.#registered.find((s) => s.key === event.key);
    if (!shortcut) return false;
    event.preventDefault();
    shortcut.run();
    return true;
  }
}

/** The app's shortcuts (one page, one set). */
export const shortcuts = new Shortcuts();
