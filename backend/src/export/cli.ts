/**
 * `npm run -s export -- --project <id> --format csv --filter '<TraceFilter JSON>' > out.csv` (`-s`: npm
 * prints its banner on stdout otherwise; or `--out out.csv`): the rows
 * of the traces (or `--generations`) list the filter matches, from a running Sightline over its
 * `/api/export` endpoint, written to stdout; a progress bar (rows / total, rate, ETA) on stderr.
 * Authenticated by an API key (`--key` or `SIGHTLINE_KEY`); `--url` defaults to http://localhost:3000.
 * Ctrl-C stops the download (the server stops reading at once).
 */
import { SingleBar } from 'cli-progress';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { RecordCounter } from './record-counter';

const USAGE = `Usage:
  npm run export -- [--generations] [--format csv|jsonl] [--columns id,name,...] [--filter '<json>']
                    [--project <id>] [--url http://localhost:3000] [--key <API key>] [--out out.csv]
  Without --out the rows go to stdout: use npm run -s export ... > out.csv (npm's banner would go there too).
  The key defaults to $SIGHTLINE_KEY; the project to the key's own.`;

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      url: { type: 'string', default: process.env.SIGHTLINE_URL ?? 'http://localhost:3000' },
      key: { type: 'string', default: process.env.SIGHTLINE_KEY },
      project: { type: 'string' },
      generations: { type: 'boolean', default: false },
      format: { type: 'string', default: 'csv' },
      columns: { type: 'string' },
      filter: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  return values;
}

type Args = ReturnType<typeof parse>;

/** The request body: the filter is sent as the JSON object it is (the server answers 400 if it is not). */
function body(args: Args): string {
  let filter: unknown;
  try {
    filter = args.filter ? JSON.parse(args.filter) : undefined;
  } catch {
    throw new Error('--filter is not JSON');
  }
  return JSON.stringify({
    format: args.format,
    columns: args.columns?.split(','),
    filter,
    projectId: args.project,
  });
}

async function run(args: Args): Promise<number> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const kind = args.generations ? 'generations' : 'traces';
  const res = await fetch(new URL(`/api/export/${kind}`, args.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${args.key}`, 'content-type': 'application/json' },
    body: body(args),
    signal: controller.signal,
  });
  if (!res.ok || !res.body) {
    console.error(`export refused (${res.status}): ${await res.text()}`);
    return 1;
  }
  const total = Number(res.headers.get('x-total-count') ?? 0);
  const counter = new RecordCounter(args.format === 'jsonl' ? 'jsonl' : 'csv');
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${kind} [{bar}] {value}/{total} rows · {rate} rows/s · ETA {eta}s`,
  });
  bar.start(total, 0, { rate: 0 });
  const started = Date.now();
  const decoder = new TextDecoder();
  const out = args.out ? createWriteStream(args.out) : process.stdout;
  try {
    for await (const chunk of res.body) {
      counter.add(decoder.decode(chunk, { stream: true }));
      if (!out.write(chunk)) await once(out, 'drain');
      const seconds = (Date.now() - started) / 1000;
      bar.setTotal(Math.max(total, counter.records));
      bar.update(counter.records, { rate: Math.round(counter.records / Math.max(seconds, 0.001)) });
    }
  } catch (error) {
    bar.stop();
    console.error(
      controller.signal.aborted ? 'export cancelled' : `export failed: ${(error as Error).message}`,
    );
    return controller.signal.aborted ? 130 : 1;
  }
  bar.stop();
  if (out !== process.stdout) await new Promise<void>((resolve) => out.end(() => resolve()));
  console.error(`${counter.records} ${kind} exported in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help || !args.key || !['csv', 'jsonl'].includes(args.format)) {
    console.error(USAGE);
    return args.help ? 0 : 2;
  }
  return run(args);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
