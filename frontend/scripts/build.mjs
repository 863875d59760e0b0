// `npm run build -w frontend`: runs `vite build` unless build/ already holds the build of exactly the
// current inputs. The stamp is a sha256 over the path and content of every input file (not their
// mtimes), written into build/ only after a successful build: a failed build leaves no stamp that
// matches its inputs (and `vite build` run directly empties build/, stamp included). `--force` always builds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const frontendDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = path.dirname(frontendDir);
const buildDir = path.join(frontendDir, 'build');
const stampFile = path.join(buildDir, '.inputs.sha256');

// Everything the bundle is made from: the app, its static files and configs, the schemas/ sources
// it imports through the `$schemas` alias, and the exact dependency versions.
const inputs = [
  'frontend/src',
  'frontend/static',
  'frontend/package.json',
  'frontend/svelte.config.js',
  'frontend/vite.config.ts',
  'frontend/tsconfig.json',
  'schemas/src',
  'package-lock.json',
];

/** Files under `relative` (a file or a directory), sorted, as repo-relative paths. */
function filesUnder(relative) {
  const absolute = path.join(repoDir, relative);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [relative];
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(repoDir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function inputsHash() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(filesUnder)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(repoDir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const wanted = inputsHash();
const built = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
if (!process.argv.includes('--force') && built === wanted && existsSync(path.join(buildDir, 'index.html'))) {
  console.log(
    'frontend: build/ is up to date with its inputs (npm run build -w frontend -- --force rebuilds)',
  );
  process.exit(0);
}

process.chdir(frontendDir); // SvelteKit reads svelte.config.js from the working directory
await build(); // throws (non-zero exit) when the build fails, before the stamp is written
writeFileSync(stampFile, `${wanted}\n`);
