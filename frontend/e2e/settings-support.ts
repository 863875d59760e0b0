// What the settings and demo-traffic tests share: a fresh project of the owner, and screenshots of a
// page at a laptop and a phone width in both themes (frontend/test-results/<folder>/).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { graphqlAs, unique, type SessionCookie } from './api';
import { resultsDir } from './paths';

/** A new project in the organization of `projectId`, owned by `owner`. */
export async function freshProject(
  baseUrl: string,
  owner: readonly SessionCookie[],
  projectId: string,
  label: string,
): Promise<{ id: string; name: string }> {
  const { viewer } = await graphqlAs<{
    viewer: { projects: { id: string; organization: { id: string } }[] };
  }>(baseUrl, owner, '{ viewer { projects { id organization { id } } } }');
  const organizationId = viewer.projects.find((p) => p.id === projectId)!.organization.id;
  const name = unique(label);
  const { createProject } = await graphqlAs<{ createProject: { id: string } }>(
    baseUrl,
    owner,
    'mutation($o: ID!, $n: String!) { createProject(organizationId: $o, name: $n) { id } }',
    { o: organizationId, n: name },
  );
  return { id: createProject.id, name };
}

/** `<folder>/<name>-<width>-<theme>.png` at 1280 and 390 px, light and dark; fails if the page overflows. */
export async function screenshots(page: Page, folder: string, name: string): Promise<void> {
  const dir = path.join(resultsDir, folder);
  await mkdir(dir, { recursive: true });
  for (const width of [1280, 390]) {
    for (const theme of ['light', 'dark'] as const) {
      await page.setViewportSize({ width, height: width > 500 ? 800 : 844 });
      await page.emulateMedia({ colorScheme: theme });
      // The navigation slides away when the width changes: let it finish (not the endless ones, a pulse).
      await page.evaluate(() =>
        Promise.all(
          document
            .getAnimations()
            .filter((a) => a.effect?.getComputedTiming().iterations !== Infinity)
            .map((a) => a.finished),
        ),
      );
      const { scrollWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${name} overflows at ${width} px`).toBeLessThanOrEqual(innerWidth);
      await page.screenshot({ path: path.join(dir, `${name}-${width}-${theme}.png`), fullPage: true });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
}
