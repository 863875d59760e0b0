/**
 * `npm run rebuild -- <read model> [--from log|archive]`: rebuilds one read model into fresh tables
 * and swaps them in, with a progress bar; Ctrl-C cancels and leaves the live tables as they were.
 * Reads the same environment as the server (DATA_DIR, KAFKA_BROKERS, CLICKHOUSE_URL...). Embedded
 * mode: stop the server first (a chDB data folder belongs to one process); with Kafka and a
 * ClickHouse server, stop the projector role for the swap to miss nothing (see `Rebuilder`).
 */
import { SingleBar, Presets } from 'cli-progress';
import { parseArgs } from 'node:util';
import { withCliSession } from '../cli/cli-session';
import { rebuildable, Rebuilder, RebuildRefusedError, type RebuildFrom } from './rebuilder';

const USAGE = `Usage: npm run rebuild -- <read model> [--from log|archive]
  log (default): the event log from its first offset; archive: the events table (LLM read models only)`;

function parse(argv: readonly string[]): { name: string; from: RebuildFrom } | null {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { from: { type: 'string', default: 'log' }, help: { type: 'boolean' } },
  });
  const from = values.from;
  if (values.help || positionals.length !== 1 || (from !== 'log' && from !== 'archive')) return null;
  return { name: positionals[0], from };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args) {
    console.error(USAGE);
    return 2;
  }
  const { name, from } = args;
  const model = rebuildable(name, from);
  const cancel = new AbortController();
  const onSigint = () => {
    console.log('\ncancelling: the fresh tables are dropped, the live ones stay as they were...');
    cancel.abort();
  };
  const bar = new SingleBar(
    { format: `${name} from ${from} [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left` },
    Presets.shades_classic,
  );
  process.on('SIGINT', onSigint);
  try {
    const outcome = await withCliSession('sightline-rebuild', ({ log, ch, control }) =>
      new Rebuilder(log, ch, control).rebuild(model, from, cancel.signal, (p) => {
        if (!bar.isActive) bar.start(p.total, p.done);
        bar.update(p.done);
      }),
    );
    bar.stop();
    console.log(
      outcome === 'swapped'
        ? `${name}: rebuilt and swapped in (${model.tables.join(', ')})`
        : `${name}: cancelled; the live tables are untouched`,
    );
    return outcome === 'swapped' ? 0 : 130;
  } finally {
    bar.stop();
    process.off('SIGINT', onSigint);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error instanceof RebuildRefusedError ? `${error.message}\n${USAGE}` : error.message);
    process.exit(error instanceof RebuildRefusedError ? 2 : 1);
  },
);
