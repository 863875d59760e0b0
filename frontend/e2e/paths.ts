import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const frontendDir = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = path.resolve(frontendDir, '..');
/** The built UI the backend serves (`npm run build -w frontend`). */
export const uiDir = path.join(frontendDir, 'build');
/** The backend entry point; SIGHTLINE_E2E_BACKEND overrides it (e.g. to try another build). */
export const backendMain = process.env.SIGHTLINE_E2E_BACKEND
  ? path.resolve(process.env.SIGHTLINE_E2E_BACKEND)
  : path.join(repoRoot, 'backend', 'dist', 'main.js');
/** Screenshots, page HTML and the backend log of failed runs (gitignored). */
export const resultsDir = path.join(frontendDir, 'test-results');

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireFile(file: string, hint: string): void {
  if (!existsSync(file)) throw new Error(`${file} not found: ${hint}`);
}
