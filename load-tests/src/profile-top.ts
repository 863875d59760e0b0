/**
 * The top self-time entries of a V8 CPU profile (`node --cpu-prof`, e.g. the Sightline process of
 * `BENCH_CPU_PROF_DIR=/tmp/prof node dist/scenarios/gateway.js`), and the same grouped by package.
 *
 *   node dist/profile-top.js /tmp/prof/CPU.*.cpuprofile [top=25] [from-to]
 *
 * `from-to`: only the samples taken between these two times, µs of the monotonic clock (what
 * `process.hrtime` reads, in any process of the machine; a scenario prints the window of a phase).
 */
import { readFileSync } from 'node:fs';
import { formatTable } from './harness/table';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  /** µs, monotonic clock. */
  readonly startTime: number;
}

/** `node_modules/@nestjs/core/router/…` → `@nestjs/core`; `backend/dist/gateway/…` → `backend/gateway`. */
function packageOf(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = /\/(backend|schemas)\/dist\/([^/]+)/.exec(url);
  if (dist) return `${dist[1]}/${dist[2].replace(/\.js$/, '')}`;
  if (url.startsWith('node:')) return url;
  return url ? 'other' : '(native/VM)';
}

function where(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*node_modules\//, '').replace(/^.*\/(backend|schemas)\/dist\//, '$1/');
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

function main(): void {
  const [file, topArg, windowArg] = process.argv.slice(2);
  if (!file) throw new Error('usage: node dist/profile-top.js <file.cpuprofile> [top] [from-to]');
  const top = Number(topArg ?? 25);
  const [from, to] = windowArg ? windowArg.split('-').map(Number) : [-Infinity, Infinity];
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    at += dt;
    if (at < from || at > to) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const idle = [...selfUs].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)');
  const idleUs = idle.reduce((sum, [, us]) => sum + us, 0);
  const busyUs = totalUs - idleUs;

  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const key = where(node);
    functions.set(key, (functions.get(key) ?? 0) + us);
    const pkg = packageOf(node.callFrame.url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rows = (m: Map<string, number>): string[][] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => [name, (us / 1000).toFixed(0), `${((us / busyUs) * 100).toFixed(1)}%`]);
  console.log(
    `${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy (${((busyUs / totalUs) * 100).toFixed(0)}%)`,
  );
  console.log(
    `\nTop ${top} self time (of busy)\n${formatTable(['function', 'ms', 'share'], rows(functions))}`,
  );
  console.log(`\nBy package\n${formatTable(['package', 'ms', 'share'], rows(packages))}`);
}

main();
