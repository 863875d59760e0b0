/**
 * `npm run replay -- --filter '<json>' --model <m> [--model <m2>] [--params '<json>'] [--prompt <name@label>]
 * [--variables '<json>']
 * [--concurrency 32] --budget 5.00`:
 * a bulk replay (experiment) started on a running Sightline over GraphQL, followed with a progress
 * bar; Ctrl-C cancels it (in-flight replays end and are kept), `--resume <id>` goes on. Talks to
 * SIGHTLINE_URL (default http://127.0.0.1:3000) with the API key in SIGHTLINE_API_KEY.
 */
import { SingleBar, Presets } from 'cli-progress';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

const USAGE = `Usage:
  npm run replay -- --filter '<GenerationFilter JSON>' --model <model> [--model <another>]
                    [--params '{"temperature":0}'] [--prompt <name@label | name@version>]
                    [--variables '{"customer":"Ada"}']
                    [--concurrency 8] --budget <USD> [--sample-rate 0.1 | --sample-count 500] [--name <name>] [--key <idempotency key>]
  --params, --prompt and --variables (values of the prompt version's {{names}}) apply to every --model (without --model: one configuration on the recorded models).
  npm run replay -- --resume <experiment id>
Environment: SIGHTLINE_URL (default http://127.0.0.1:3000), SIGHTLINE_API_KEY (a project key, sl_...).`;

const E = `id name status items estimate estimateUnpriced budget error { code message }
  progress { done total failed fraction requestsPerSecond etaSeconds spent unpriced }
  comparison { configuration { id label } requests errors errorRate cost unpricedCount latencyP50Ms latencyP95Ms timeToFirstTokenP50Ms outputSimilarity }`;

interface Experiment {
  id: string;
  name: string;
  status: string;
  items: number;
  estimate: string;
  /** Replays the estimate could not price (counted as 0 in it). */
  estimateUnpriced: number | null;
  budget: string;
  error: { code: string; message: string } | null;
  progress: {
    done: number;
    total: number;
    failed: number;
    fraction: number;
    requestsPerSecond: number | null;
    etaSeconds: number | null;
    spent: string;
    /** Completed replays without a price, left out of `spent`. */
    unpriced: number;
  };
  comparison: {
    configuration: { id: string; label: string } | null;
    requests: number;
    errors: number;
    errorRate: number | null;
    cost: string | null;
    unpricedCount: number;
    latencyP50Ms: number | null;
    latencyP95Ms: number | null;
    timeToFirstTokenP50Ms: number | null;
    outputSimilarity: number | null;
  }[];
}

/** A refusal or failure worth a plain message: printed alone, exit 1 (2 for a usage error). */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const url = `${(process.env.SIGHTLINE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '')}/graphql`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${process.env.SIGHTLINE_API_KEY ?? ''}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ query, variables }),
  }).catch((error: Error) => {
    throw new CliError(`Cannot reach Sightline at ${url} (SIGHTLINE_URL): ${error.cause ?? error.message}`);
  });
  const body = (await res.json().catch(() => {
    throw new CliError(`${url} answered HTTP ${res.status}, not GraphQL: is SIGHTLINE_URL a Sightline?`);
  })) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
  };
  if (body.errors?.length) {
    const [e] = body.errors;
    throw new CliError(
      `${e.extensions?.code ?? 'ERROR'}${e.extensions?.reason ? ` (${e.extensions.reason})` : ''}: ${e.message}`,
    );
  }
  return body.data!;
}

const fixed = (n: number | null, digits = 0) => (n === null ? '–' : n.toFixed(digits));

/** Columns two spaces apart, the first left-aligned and the figures right-aligned. */
function formatTable(head: readonly string[], rows: readonly string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `$0.06`; `$0.06 + 3 replays unpriced`; `unpriced (6 replays without a price)` when none had one. */
function estimateText({ estimate, estimateUnpriced: n }: Experiment): string {
  if (!n) return `$${estimate}`;
  const replays = `${n} replay${n === 1 ? '' : 's'}`;
  return /[1-9]/.test(estimate)
    ? `$${estimate} + ${replays} unpriced`
    : `unpriced (${replays} without a price)`;
}

/** The priced sum, and how many had no price (left out of it): never an unpriced $0. */
function costCell(row: Experiment['comparison'][number]): string {
  const unpriced = row.unpricedCount ? `${row.unpricedCount} unpriced` : '';
  if (row.cost === null) return unpriced || '–';
  return `${Number(row.cost).toFixed(4)}${unpriced ? ` + ${unpriced}` : ''}`;
}

function printComparison(e: Experiment): void {
  console.log(`\n${e.name} (${e.id}) ${e.status}${e.error ? ` — ${e.error.code}: ${e.error.message}` : ''}`);
  const head = ['side', 'requests', 'error rate', 'cost $', 'p50 ms', 'p95 ms', 'TTFT p50 ms', 'similarity'];
  const rows = e.comparison.map((row) => [
    row.configuration ? `${row.configuration.id} ${row.configuration.label}` : 'original',
    String(row.requests),
    row.errorRate === null ? '–' : `${(row.errorRate * 100).toFixed(1)}%`,
    costCell(row),
    fixed(row.latencyP50Ms),
    fixed(row.latencyP95Ms),
    fixed(row.timeToFirstTokenP50Ms),
    fixed(row.outputSimilarity, 3),
  ]);
  console.log(formatTable(head, rows));
}

/** Replays counted by the comparison (it reads the generations table, a moment behind the run). */
const compared = (e: Experiment) =>
  e.comparison.filter((row) => row.configuration).reduce((sum, row) => sum + row.requests, 0);

/** The ended experiment once its comparison counts every replay done (waits at most 15 s). */
async function settled(ended: Experiment): Promise<Experiment> {
  let e = ended;
  for (const deadline = Date.now() + 15_000; compared(e) < e.progress.done && Date.now() < deadline;) {
    await new Promise((r) => setTimeout(r, 500));
    e = (
      await graphql<{ experiment: Experiment }>(`query($id: ID!) { experiment(id: $id) { ${E} } }`, {
        id: e.id,
      })
    ).experiment;
  }
  return e;
}

/** Follow until it ends; the first Ctrl-C cancels it (in-flight replays end), a second stops at once. */
async function follow(id: string): Promise<Experiment> {
  // Piped (CI logs, `| tee`): a line a second instead of a bar redrawn in place.
  const bar = new SingleBar(
    {
      format:
        ' {bar} {percentage}% | {value}/{total} replays | {rate} req/s | ETA {eta_s}s | spent ${spent} | {failed} failed',
      noTTYOutput: true,
      notTTYSchedule: 1000,
    },
    Presets.shades_classic,
  );
  let interrupts = 0;
  let cancelling: Promise<unknown> | undefined;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    cancelling = graphql(
      `
        mutation ($id: ID!) {
          cancelExperiment(id: $id) {
            id
          }
        }
      `,
      { id },
    ).catch((e: Error) => console.error(`\n${e.message}`));
  };
  process.on('SIGINT', onSigint);
  try {
    let e = (
      await graphql<{ experiment: Experiment }>(`query($id: ID!) { experiment(id: $id) { ${E} } }`, { id })
    ).experiment;
    const usd = (text: string) => Number(text).toFixed(4);
    // Replays without a price are named beside the sum, never read as $0.
    const spent = ({ progress: p }: Experiment) =>
      `${usd(p.spent)}${p.unpriced ? ` + ${p.unpriced} unpriced` : ''}`;
    let rate = '–';
    bar.start(e.progress.total, e.progress.done, {
      rate,
      eta_s: '–',
      spent: spent(e),
      failed: 0,
    });
    while (e.status === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 500));
      e = (
        await graphql<{ experiment: Experiment }>(`query($id: ID!) { experiment(id: $id) { ${E} } }`, { id })
      ).experiment;
      // The rate is known while it runs: the last one stays on the bar's final line.
      if (e.progress.requestsPerSecond !== null) rate = fixed(e.progress.requestsPerSecond, 1);
      bar.update(e.progress.done, {
        rate,
        eta_s: fixed(e.progress.etaSeconds),
        spent: spent(e),
        failed: e.progress.failed,
      });
    }
    await cancelling;
    bar.stop();
    return await settled(e);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

function parse(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        filter: { type: 'string' },
        model: { type: 'string', multiple: true },
        params: { type: 'string' },
        prompt: { type: 'string' },
        variables: { type: 'string' },
        concurrency: { type: 'string', default: '8' },
        budget: { type: 'string' },
        'sample-rate': { type: 'string' },
        'sample-count': { type: 'string' },
        name: { type: 'string' },
        key: { type: 'string' },
        resume: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n${USAGE}`, 2);
  }
}

type Args = ReturnType<typeof parse>;

/** `text` as a number, or a usage error naming the option. */
function numberOption(name: string, text: string, integer: boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new CliError(`--${name} must be ${integer ? 'a whole number' : 'a number'}, got '${text}'`, 2);
  return n;
}

/** The `startExperiment` input the options stand for (the server checks ranges and the filter's fields). */
function startInput(args: Args) {
  let filter: unknown = {};
  if (args.filter !== undefined) {
    try {
      filter = JSON.parse(args.filter);
    } catch (error) {
      throw new CliError(`--filter is not JSON (${(error as Error).message}): ${args.filter}`, 2);
    }
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter))
      throw new CliError(`--filter must be a JSON object such as '{"tags":["checkout"]}'`, 2);
  }
  let params: string | undefined;
  if (args.params !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args.params);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new CliError(`--params must be a JSON object such as '{"temperature":0}', got ${args.params}`, 2);
    params = JSON.stringify(parsed);
  }
  let variables: string | undefined;
  if (args.variables !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args.variables);
    } catch {
      parsed = undefined;
    }
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed) ||
      Object.values(parsed).some((v) => typeof v !== 'string')
    )
      throw new CliError(
        `--variables must be a JSON object of texts such as '{"customer":"Ada"}', got ${args.variables}`,
        2,
      );
    variables = JSON.stringify(parsed);
  }
  const changes = {
    ...(params ? { params } : {}),
    ...(args.prompt ? { prompt: args.prompt } : {}),
    ...(variables ? { variables } : {}),
  };
  const rate = args['sample-rate'];
  const count = args['sample-count'];
  return {
    ...(args.name ? { name: args.name } : {}),
    filter,
    configurations: args.model?.length ? args.model.map((model) => ({ model, ...changes })) : [changes],
    concurrency: numberOption('concurrency', args.concurrency!, true),
    budget: args.budget,
    ...(rate !== undefined ? { sample: { rate: numberOption('sample-rate', rate, false) } } : {}),
    ...(count !== undefined ? { sample: { count: numberOption('sample-count', count, true) } } : {}),
  };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  const changes =
    args.model?.length ||
    args.params !== undefined ||
    args.prompt !== undefined ||
    args.variables !== undefined;
  if (args.help || (!args.resume && (!args.budget || !changes))) {
    console.error(USAGE);
    return args.help ? 0 : 2;
  }
  let id: string;
  if (args.resume) {
    id = (
      await graphql<{ resumeExperiment: { id: string } }>(
        `
          mutation ($id: ID!) {
            resumeExperiment(id: $id) {
              id
            }
          }
        `,
        { id: args.resume },
      )
    ).resumeExperiment.id;
    console.log(`resumed ${id}`);
  } else {
    const input = startInput(args);
    const started = (
      await graphql<{ startExperiment: Experiment }>(
        `mutation($input: StartExperimentInput!, $key: String!) { startExperiment(input: $input, idempotencyKey: $key) { ${E} } }`,
        { input, key: args.key ?? `cli-${randomUUID()}` },
      )
    ).startExperiment;
    id = started.id;
    console.log(
      `started ${id}: ${started.items} generations × ${input.configurations.length} configuration(s), estimate ${estimateText(started)} of budget $${started.budget}`,
    );
  }
  const end = await follow(id);
  printComparison(end);
  if (end.status === 'CANCELLED') console.log(`resume with: npm run replay -- --resume ${end.id}`);
  return end.status === 'FINISHED' ? 0 : end.status === 'CANCELLED' ? 130 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof CliError ? error.message : error);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
