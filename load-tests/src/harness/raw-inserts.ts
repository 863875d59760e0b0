import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
import { READ_MODELS } from '@sightline/backend/dist/projector/read-models';
import { LLM_EVENTS } from '@sightline/backend/dist/projector/sources';
import { FreshTables } from '@sightline/backend/dist/rebuild/fresh-tables';
import { performance } from 'node:perf_hooks';

/** Rows per direct insert: the projector's largest batch. */
const BLOCK = 5000;

export interface TableWrites {
  readonly table: string;
  readonly rows: number;
  /** Materialized views an insert into it feeds (each writes another part). */
  readonly views: number;
}

export interface RawInserts {
  readonly tables: readonly TableWrites[];
  /** This process's CPU (every thread: chDB's too) and wall time for all the inserts. */
  readonly cpuMs: number;
  readonly wallMs: number;
}

/**
 * The floor the projector is measured against: every row the LLM read models hold (the rows the
 * projector wrote, read back), inserted again in blocks of BLOCK into empty twins of their tables,
 * materialized views included, with `ClickHouse.insert`. No reads, no folding, no log. Run in a
 * process of its own (chDB opens one data folder per process) on a stopped Sightline's data.
 */
export async function rawInserts(ch: ClickHouse): Promise<RawInserts> {
  const owned = READ_MODELS.filter((m) => m.source === LLM_EVENTS).flatMap((m) => m.tables);
  const views = await ch.query<{ name: string; target: string; source: string }>(
    `SELECT name, extract(create_table_query, ' TO [^.]+\\.([A-Za-z0-9_]+)') AS target,
            extract(create_table_query, ' FROM [^.]+\\.([A-Za-z0-9_]+)') AS source
     FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'`,
  );
  // The tables the projector inserts into: those no view feeds.
  const fed = new Set(views.map((v) => v.target));
  const direct = owned.filter((t) => !fed.has(t) && !views.some((v) => v.name === t));
  const fresh = new FreshTables(ch, owned);
  await fresh.create();
  try {
    const twins = ch.redirected(fresh.names);
    const tables: TableWrites[] = [];
    let cpuMs = 0;
    let wallMs = 0;
    for (const table of direct) {
      const rows = await ch.query<object>('SELECT * FROM {table:Identifier}', { table });
      const cpu = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < rows.length; i += BLOCK) await twins.insert(table, rows.slice(i, i + BLOCK));
      wallMs += performance.now() - start;
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      tables.push({ table, rows: rows.length, views: viewsFedBy(table, views) });
    }
    return { tables, cpuMs, wallMs };
  } finally {
    await fresh.drop();
  }
}

/** Views an insert into `table` feeds, through views that feed views (rollups of rollups). */
function viewsFedBy(table: string, views: readonly { target: string; source: string }[]): number {
  return views.filter((v) => v.source === table).reduce((n, v) => n + 1 + viewsFedBy(v.target, views), 0);
}
