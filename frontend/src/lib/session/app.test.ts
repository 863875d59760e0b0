import { afterEach, describe, expect, it, vi } from 'vitest';
import { LAST_PROJECT_KEY } from '../projects';
import { AppSession } from './app.svelte';
import { ViewerSession, type Viewer } from './viewer.svelte';

const org = { id: 'o1', name: 'Org' };
const alice: Viewer = {
  user: { id: 'usr_a', email: 'alice@example.com', name: 'Alice' },
  projects: [
    { id: 'p1', name: 'One', role: 'OWNER', organization: org },
    { id: 'p2', name: 'Two', role: 'VIEWER', organization: org },
  ],
};

/** A signed-in session at `href`, with the hrefs it navigated to. */
async function appAt(href: string, viewer: Viewer = alice) {
  let answer = viewer;
  const session = new ViewerSession(async () => answer);
  await session.load();
  const visited: string[] = [];
  const app = new AppSession(
    session,
    () => new URL(href),
    async (to) => void visited.push(to),
  );
  return { app, session, visited, answerNext: (next: Viewer) => (answer = next) };
}

function fakeStorage(entries: Record<string, string> = {}) {
  const items = new Map(Object.entries(entries));
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  });
  return items;
}

afterEach(() => vi.unstubAllGlobals());

describe('AppSession', () => {
  it('shows the project of ?project=, else the one opened last, else the first', async () => {
    fakeStorage({ [LAST_PROJECT_KEY]: 'p2' });
    expect((await appAt('http://ui.test/?project=p1')).app.project?.name).toBe('One');
    expect((await appAt('http://ui.test/?project=nope')).app.project?.name).toBe('Two');
    fakeStorage();
    expect((await appAt('http://ui.test/audit')).app.projectId).toBe('p1');
  });

  it('has no project for a user without one, and no viewer before sign-in', async () => {
    fakeStorage();
    const { app } = await appAt('http://ui.test/', { ...alice, projects: [] });
    expect([app.projectId, app.project]).toEqual([null, null]);
    const signedOut = new AppSession(
      new ViewerSession(async () => alice),
      () => new URL('http://ui.test/'),
      async () => {},
    );
    expect(() => signedOut.viewer).toThrow('the viewer is not loaded');
  });

  it('opens a project: remembers it and sets ?project= on the current page', async () => {
    const storage = fakeStorage();
    const { app, visited } = await appAt('http://ui.test/settings/keys?x=1#top');
    await app.selectProject('p2');
    expect(visited).toEqual(['/settings/keys?x=1&project=p2#top']);
    expect(storage.get(LAST_PROJECT_KEY)).toBe('p2');
  });

  it('follows the viewer: a new project appears after a refresh and opens', async () => {
    fakeStorage();
    const { app, visited, answerNext } = await appAt('http://ui.test/?project=p3');
    expect(app.projectId).toBe('p1');
    const created = { id: 'p3', name: 'Three', role: 'OWNER' as const, organization: org };
    answerNext({ ...alice, projects: [...alice.projects, created] });
    await app.projectCreated(created);
    expect(app.project?.name).toBe('Three');
    expect(visited).toEqual(['/?project=p3']);
  });
});
