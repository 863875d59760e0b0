// Light or dark: the user's choice, kept in localStorage, else the system's preference
// (prefers-color-scheme). The choice is `<html data-theme>`; app.css maps it to colors, and
// static/theme.js applies a stored choice before the first paint.

export type ThemeName = 'light' | 'dark';
export const THEME_KEY = 'sightline.theme';

/** The stored choice, or null when none (or storage is unavailable). */
export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined): ThemeName | null {
  try {
    const value = storage?.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

export class Theme {
  #chosen = $state<ThemeName | null>(null);
  #systemDark = $state(false);

  constructor(
    private readonly root: HTMLElement,
    private readonly storage: Storage | undefined,
    media: MediaQueryList | undefined,
  ) {
    this.#chosen = storedTheme(storage);
    this.#systemDark = media?.matches ?? false;
    media?.addEventListener('change', (event) => (this.#systemDark = event.matches));
  }

  /** What is shown now. */
  get current(): ThemeName {
    return this.#chosen ?? (this.#systemDark ? 'dark' : 'light');
  }

  /** Switches to the other theme and remembers it. */
  toggle(): void {
    this.set(this.current === 'dark' ? 'light' : 'dark');
  }

  set(theme: ThemeName): void {
    this.#chosen = theme;
    this.root.dataset.theme = theme;
    try {
      this.storage?.setItem(THEME_KEY, theme);
    } catch {
      // Not persisted (storage blocked); the page still switches.
    }
  }
}

/** The page's theme (browser only). */
export function browserTheme(): Theme {
  return new Theme(
    document.documentElement,
    typeof localStorage === 'undefined' ? undefined : localStorage,
    window.matchMedia?.('(prefers-color-scheme: dark)'),
  );
}
