/**
 * Runs every scenario in `scenarios/`, one after the other, each in its own Node process (chDB
 * allows one data folder per process, and a scenario must not inherit another's warm caches).
 *
 *   node dist/bench.js            every scenario
 *   node dist/bench.js gateway    the scenarios whose file name contains "gateway"
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function run(script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<void> {
  const dir = join(__dirname, 'scenarios');
  const filters = process.argv.slice(2);
  const scenarios = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .filter((f) => !filters.length || filters.some((filter) => f.includes(filter)))
    .sort();
  if (!scenarios.length) throw new Error(`no scenario in ${dir} matches ${filters.join(', ')}`);
  const failed: string[] = [];
  for (const file of scenarios) {
    console.log(`\n>>> scenario ${file.replace(/\.js$/, '')}`);
    const code = await run(join(dir, file));
    if (code !== 0) failed.push(`${file} (exit ${code})`);
  }
  if (failed.length) {
    console.error(`\nfailed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
