import { describe, expect, it, vi } from 'vitest';
import { ignoredKeyPress, Shortcuts } from './shortcuts.svelte';

function press(key: string, init: Partial<KeyboardEvent> & { tagName?: string } = {}) {
  const event = {
    key,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    defaultPrevented: false,
    target: init.tagName ? { tagName: init.tagName } : null,
    preventDefault: vi.fn(),
    ...init,
  };
  return event as unknown as KeyboardEvent & { preventDefault: ReturnType<typeof vi.fn> };
}

describe('keyboard shortcuts', () => {
  it('runs the registered shortcut of a key and stops the browser default', () => {
    const shortcuts = new Shortcuts();
    const run = vi.fn();
    shortcuts.add({ key: 'j', description: 'Next', run });
    const event = press('j');
    expect(shortcuts.handle(event)).toBe(true);
    expect(run).toHaveBeenCalledOnce();
    expect(event.preventDefault).toHaveBeenCalled();
    expect(shortcuts.handle(press('x'))).toBe(false);
  });

  it('lets a page shadow the app shortcut of the same key until it is removed', () => {
    const shortcuts = new Shortcuts();
    const app = vi.fn();
    const page = vi.fn();
    shortcuts.add({ key: 'j', description: 'app', run: app });
    const remove = shortcuts.add({ key: 'j', description: 'page', run: page });
    shortcuts.handle(press('j'));
    expect(page).toHaveBeenCalledOnce();
    remove();
    shortcuts.handle(press('j'));
    expect(app).toHaveBeenCalledOnce();
    expect(shortcuts.list.map((s) => s.description)).toEqual(['app']);
  });

  it('ignores keys typed into fields and keys with modifiers', () => {
    for (const tagName of ['INPUT', 'TEXTAREA', 'SELECT'])
      expect(ignoredKeyPress(press('/', { tagName }))).toBe(true);
    expect(
      ignoredKeyPress(press('/', { target: { tagName: 'DIV', isContentEditable: true } as never })),
    ).toBe(true);
    expect(ignoredKeyPress(press('j', { ctrlKey: true }))).toBe(true);
    expect(ignoredKeyPress(press('j', { metaKey: true }))).toBe(true);
    expect(ignoredKeyPress(press('?', { tagName: 'BODY' }))).toBe(false);
  });
});
