/**
 * Seeds the query benchmark's month fast enough for 10 million generations: a template month of
 * synthetic traces is projected by Sightline's own row builders (JS), then ClickHouse copies it
 * (INSERT … SELECT) under new trace, span and event ids, each copied trace moved by whole days
 * within the month (hour of day kept), its session renamed for its new day. Every other column is
 * the template's, so copied rows are shaped exactly as the projections write them; `checkCopies`
 * proves it by projecting copied traces' archived events again and comparing row for row.
 */
import { toArchiveRow } from '@sightline/backend/dist/archive/archive.projection';
import { EventArchive } from '@sightline/backend/dist/archive/event-archive';
import type { ClickHouse } from '@sightline/backend/dist/clickhouse/clickhouse';
import { generationRows, requestsBySpan } from '@sightline/backend/dist/generations/pair-generations';
import { groupRowsOf } from '@sightline/backend/dist/traces/trace-groups';
import { rollUpTrace } from '@sightline/backend/dist/traces/trace-row';
import { SPAN_EVENT_TYPES, type SpanEvent } from '@sightline/backend/dist/traces/span-patch';
import { foldSpan } from '@sightline/backend/dist/traces/span-row';
import { traceTimesOf } from '@sightline/backend/dist/traces/trace-times';
import type { SightlineEvent } from '@sightline/schemas';

/** The tables a trace of gateway generations is projected into (rollups follow `generations` by their views). */
export const SEEDED_TABLES = [
  'events',
  'generations',
  'trace_times',
  'spans',
  'trace_groups',
  'traces',
] as const;
type SeededTable = (typeof SEEDED_TABLES)[number];

/** What the projections write for these traces, table by table (no log, no projector). */
export function rowsOf(traces: readonly SightlineEvent[][]): Record<SeededTable, object[]> {
  const events = traces.flat();
  const spans = traces.map((trace) => {
    const bySpan = new Map<string, SpanEvent[]>();
    for (const e of trace as SpanEvent[]) bySpan.set(e.spanId, [...(bySpan.get(e.spanId) ?? []), e]);
    return [...bySpan.values()].map(foldSpan);
  });
  const rolled = spans.map(rollUpTrace);
  return {
    events: events.map(toArchiveRow),
    generations: generationRows(events, requestsBySpan(events)),
    trace_times: traceTimesOf(events as SpanEvent[]),
    spans: spans.flat(),
    trace_groups: rolled.flatMap((trace) => groupRowsOf(trace, undefined)),
    traces: rolled,
  };
}

export async function insertRows(ch: ClickHouse, rows: Record<SeededTable, object[]>): Promise<void> {
  for (const table of SEEDED_TABLES) await ch.insert(table, rows[table]);
}

const hex8 = (x: string) => `lower(hex(reinterpretAsFixedString(${x})))`;
/** New ids of copy `k`: a trace id of 32 hex digits, span ids of 16, event UUIDs; '' and the zero UUID stay. */
const TRACE = `concat(${hex8('cityHash64(t.trace_id, k)')}, ${hex8('cityHash64(k, t.trace_id)')})`;
const span = (column: string) => `if(${column} = '', '', ${hex8(`cityHash64(${column}, t.trace_id, k)`)})`;
const uuid = (column: string) =>
  `if(${column} = toUUID('00000000-0000-0000-0000-000000000000'), ${column}, reinterpretAsUUID(concat(
     reinterpretAsFixedString(cityHash64(toString(${column}), k)), reinterpretAsFixedString(cityHash64(k, toString(${column}))))))`;
/** Whole days copy `k` moves a trace by, wrapped into the month: `s.started_at` is the template trace's start. */
const SHIFT = `(toInt64(cityHash64(t.trace_id, k, 'day') % 30)
  - if(addDays(s.started_at, toInt64(cityHash64(t.trace_id, k, 'day') % 30)) >= {end:DateTime64(3, 'UTC')}, 30, 0))`;
const moved = (column: string) => `addDays(${column}, ${SHIFT})`;
/** Sessions are `<user>-s<day number>` (synthetic-traces): the day moves with the trace. */
const session = (column: string) =>
  `if(${column} = '', '', concat(arrayStringConcat(arraySlice(splitByString('-s', ${column}), 1, -1), '-s'), '-s',
     toString(toInt64(splitByString('-s', ${column})[-1]) + ${SHIFT})))`;
const iso = (x: string) => `concat(replaceOne(toString(${x}), ' ', 'T'), 'Z')`;

/** Columns that change in a copy, per table; every other column is copied as it is. */
const REWRITES: Readonly<Record<SeededTable, Readonly<Record<string, string>>>> = {
  events: {
    trace_id: TRACE,
    span_id: span('t.span_id'),
    parent_span_id: span('t.parent_span_id'),
    event_id: uuid('t.event_id'),
    occurred_at: moved('t.occurred_at'),
    // A request names its session; an end, when its request started.
    data: `replaceOne(replaceRegexpOne(t.data, '"startedAt":"[^"]+"', concat('"startedAt":"',
             ${iso(moved(`parseDateTime64BestEffortOrZero(extract(t.data, '"startedAt":"([^"]+)"'), 3, 'UTC')`))}, '"')),
           concat('"sessionId":"', s.session_id, '"'), concat('"sessionId":"', ${session('s.session_id')}, '"'))`,
  },
  generations: {
    trace_id: TRACE,
    span_id: span('t.span_id'),
    parent_span_id: span('t.parent_span_id'),
    started_at: moved('t.started_at'),
    ended_at: moved('t.ended_at'),
    session_id: session('t.session_id'),
    requested_event_id: uuid('t.requested_event_id'),
    ended_event_id: uuid('t.ended_event_id'),
  },
  trace_times: { trace_id: TRACE, first_at: moved('t.first_at'), last_at: moved('t.last_at') },
  spans: {
    trace_id: TRACE,
    span_id: span('t.span_id'),
    parent_span_id: span('t.parent_span_id'),
    started_at: moved('t.started_at'),
    ended_at: moved('t.ended_at'),
    session_id: session('t.session_id'),
  },
  trace_groups: {
    trace_id: TRACE,
    group_id: `if(t.dimension = 'session', ${session('t.group_id')}, t.group_id)`,
    started_at: moved('t.started_at'),
    ended_at: moved('t.ended_at'),
    session_id: session('t.session_id'),
  },
  traces: {
    trace_id: TRACE,
    root_span_id: span('t.root_span_id'),
    started_at: moved('t.started_at'),
    ended_at: moved('t.ended_at'),
    session_id: session('t.session_id'),
  },
};

/** The columns an INSERT … SELECT * gives (not materialized ones). */
async function columnsOf(ch: ClickHouse, table: string): Promise<string[]> {
  const rows = await ch.query<{ name: string }>(
    `SELECT name FROM system.columns WHERE database = currentDatabase() AND table = {t:String}
       AND default_kind NOT IN ('MATERIALIZED', 'ALIAS') ORDER BY position`,
    { t: table },
  );
  return rows.map((r) => r.name);
}

/**
 * Copies `copies - 1` times what the tables hold now (the template month), `perInsert` copies per
 * INSERT, calling `progress` after each. Template rows are snapshotted into `seed_*` tables first.
 */
export async function copyTemplate(
  ch: ClickHouse,
  options: { end: number; copies: number; perInsert: number; progress: (copiesDone: number) => void },
): Promise<void> {
  for (const table of SEEDED_TABLES) {
    await ch.command(`DROP TABLE IF EXISTS seed_${table}`);
    await ch.command(`CREATE TABLE seed_${table} ENGINE = Memory AS SELECT * FROM ${table}`);
  }
  await ch.command('DROP TABLE IF EXISTS seed_trace_starts');
  await ch.command(
    'CREATE TABLE seed_trace_starts ENGINE = Memory AS SELECT trace_id, started_at, session_id FROM traces FINAL',
  );
  const end = new Date(options.end).toISOString().replace('T', ' ').replace('Z', '');
  try {
    for (let k = 1; k < options.copies; k += options.perInsert) {
      const upTo = Math.min(options.copies, k + options.perInsert);
      for (const table of SEEDED_TABLES) {
        const columns = await columnsOf(ch, table);
        const select = columns.map((c) => `${REWRITES[table][c] ?? `t.${c}`} AS ${c}`).join(', ');
        await ch.command(
          `INSERT INTO ${table} (${columns.join(', ')})
           SELECT ${select}
           FROM seed_${table} AS t ARRAY JOIN range({from:UInt32}, {to:UInt32}) AS k
           INNER JOIN seed_trace_starts AS s ON s.trace_id = t.trace_id`,
          { from: k, to: upTo, end },
          { max_insert_threads: '2' },
        );
      }
      options.progress(upTo);
    }
  } finally {
    for (const table of [...SEEDED_TABLES, 'trace_starts'])
      await ch.command(`DROP TABLE IF EXISTS seed_${table}`);
  }
}

const EVENT_TYPES = [
  ...new Set([...SPAN_EVENT_TYPES, 'generation.requested', 'generation.completed', 'generation.failed']),
];

/** Rows of `table` for these traces as ClickHouse prints them (FINAL: replacing tables hold one current row). */
async function stored(ch: ClickHouse, table: string, projectId: string, traceIds: readonly string[]) {
  const final = /events|generations/.test(table) ? '' : 'FINAL';
  const rows = await ch.query<{ r: string }>(
    `SELECT toString(tuple(*)) AS r FROM ${table} ${final}
     WHERE project_id = {p:String} AND trace_id IN {ids:Array(String)} ORDER BY r`,
    { p: projectId, ids: traceIds },
  );
  return rows.map((row) => row.r);
}

/**
 * Projects the archived events of `traceIds` again with Sightline's row builders into scratch tables
 * and compares them with the seeded rows, table by table.
 * @throws Error naming the first table whose rows differ
 */
export async function checkCopies(
  ch: ClickHouse,
  projectId: string,
  traceIds: readonly string[],
): Promise<void> {
  const archive = new EventArchive(ch);
  const traces = await Promise.all(
    traceIds.map((traceId) => archive.eventsOfTrace(projectId, traceId, EVENT_TYPES)),
  );
  // trace_list is what its view makes of the traces rows.
  const rows = { ...rowsOf(traces), trace_list: [] as object[] };
  rows.trace_list = rows.traces;
  for (const table of [...SEEDED_TABLES, 'trace_list'] as const) {
    await ch.command(`DROP TABLE IF EXISTS check_${table}`);
    await ch.command(`CREATE TABLE check_${table} AS ${table}`);
    try {
      await ch.insert(`check_${table}`, rows[table]);
      const [seeded, projected] = [
        await stored(ch, table, projectId, traceIds),
        await stored(ch, `check_${table}`, projectId, traceIds),
      ];
      const differs = seeded.findIndex((row, i) => row !== projected[i]);
      if (seeded.length !== projected.length || differs >= 0)
        throw new Error(
          `seeded ${table} rows differ from projected ones:\n  seeded    ${seeded[differs] ?? seeded.length}\n  projected ${projected[differs] ?? projected.length}`,
        );
    } finally {
      await ch.command(`DROP TABLE IF EXISTS check_${table}`);
    }
  }
}
