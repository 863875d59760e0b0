import { describe, expect, it } from 'vitest';
import { storedTheme, Theme, THEME_KEY } from './theme.svelte';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    values,
  } as unknown as Storage & { values: Map<string, string> };
}

function media(matches: boolean) {
  const listeners: ((event: { matches: boolean }) => void)[] = [];
  return {
    matches,
    addEventListener: (_: string, listener: (event: { matches: boolean }) => void) =>
      listeners.push(listener),
    change: (next: boolean) => listeners.forEach((l) => l({ matches: next })),
  } as unknown as MediaQueryList & { change(next: boolean): void };
}

const root = () => ({ dataset: {} as Record<string, string> }) as unknown as HTMLElement;

describe('theme', () => {
  it("follows the system's preference while the user chose none", () => {
    const system = media(true);
    const theme = new Theme(root(), memoryStorage(), system);
    expect(theme.current).toBe('dark');
    system.change(false);
    expect(theme.current).toBe('light');
  });

  it('keeps the choice in storage and on <html data-theme>', () => {
    const storage = memoryStorage();
    const html = root();
    const theme = new Theme(html, storage, media(false));
    theme.toggle();
    expect(theme.current).toBe('dark');
    expect(html.dataset.theme).toBe('dark');
    expect(storage.values.get(THEME_KEY)).toBe('dark');
    expect(new Theme(root(), storage, media(false)).current).toBe('dark');
  });

  it('ignores a stored value that is not a theme, and storage that throws', () => {
    expect(storedTheme(memoryStorage({ [THEME_KEY]: 'purple' }))).toBeNull();
    expect(
      storedTheme({
        getItem: () => {
          throw new Error('blocked');
        },
      }),
    ).toBeNull();
  });
});
