import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ: 100 on Linux's usual builds). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, every thread) a process has used so far, ms, from /proc (Linux);
 * NaN elsewhere. Unlike latency, it hardly moves when other processes load the machine.
 */
export function processCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/stat`);
}

/** CPU time (user + system) of a process's main thread alone (e.g. Node's event loop), ms. */
export function mainThreadCpuMs(pid: number): number {
  return cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
}

/**
 * A Node process's CPU time (ms) by kind of thread, from /proc (Linux; zeros elsewhere): its main
 * thread; its other threads named `node` (worker threads, V8's GC and compiler helpers, libuv's
 * pool: Node 20 names them all alike); and the rest, threads native libraries named (chDB's
 * ClickHouse pools). Threads that ended meanwhile are not counted.
 */
export function threadCpuMs(pid: number): { main: number; node: number; native: number } {
  const out = { main: 0, node: 0, native: 0 };
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    const ms = cpuMsOf(`/proc/${pid}/task/${tid}/stat`);
    if (Number.isNaN(ms)) continue;
    if (tid === String(pid)) out.main += ms;
    else if (commOf(pid, tid) === 'node') out.node += ms;
    else out.native += ms;
  }
  return out;
}

function commOf(pid: number, tid: string): string {
  try {
    return readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function cpuMsOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
