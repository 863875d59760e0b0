import { decodeEvent, type SightlineEvent } from '@sightline/schemas';
import type { ClickHouse } from '../../src/clickhouse/clickhouse';
import type { EventLog } from '../../src/eventlog/event-log';
import { TOPICS } from '../../src/eventlog/topics';

/** One figure per key, e.g. `generations proj_1/gpt-4o count` → `"120"`. Strings: costs are decimals. */
export type Totals = Map<string, string>;

/** USD amounts as integers of 10^-10 (the `cost_usd` column's scale), so sums are exact. */
const SCALE = 10;
const toUnits = (usd: string): bigint => {
  const [whole, fraction = ''] = usd.split('.');
  return BigInt(whole + fraction.padEnd(SCALE, '0').slice(0, SCALE));
};
const fromUnits = (units: bigint): string => {
  const text = units.toString().padStart(SCALE + 1, '0');
  return `${text.slice(0, -SCALE)}.${text.slice(-SCALE)}`.replace(/\.?0+$/, '') || '0';
};

function add(totals: Totals, key: string, value: number | bigint): void {
  totals.set(key, (BigInt(totals.get(key) ?? 0) + BigInt(value)).toString());
}

/** The LLM events of `projects` in the log, every partition from its start. */
export async function eventsInLog(log: EventLog, projects: ReadonlySet<string>): Promise<SightlineEvent[]> {
  const events: SightlineEvent[] = [];
  const ends = await log.endOffsets(TOPICS.llm);
  for (let partition = 0; partition < ends.length; partition++) {
    for (let offset = 0; offset < ends[partition];) {
      const records = await log.read(TOPICS.llm, partition, offset, 5000);
      if (!records.length) break;
      offset = records[records.length - 1].offset + 1;
      for (const record of records) {
        const event = decodeEvent(record.value);
        if (projects.has(event.projectId)) events.push(event);
      }
    }
  }
  return events;
}

/**
 * What the read models must hold, computed from the events themselves (not by the projections'
 * code): the archive counts every record; `generations` one row per ended gateway generation with
 * its request's model, tokens and cost; `spans` and `traces` one row per distinct span and trace.
 */
export function expectedTotals(events: readonly SightlineEvent[]): Totals {
  const totals: Totals = new Map();
  const models = new Map<string, string>();
  const spans = new Map<string, { kind: string; input: number; output: number }>();
  const traces = new Map<string, { spans: Set<string>; input: number; output: number }>();
  for (const e of events) if (e.type === 'generation.requested') models.set(e.spanId, e.data.model);
  const span = (e: SightlineEvent, kind: string, input = 0, output = 0) =>
    spans.set(`${e.projectId}/${e.traceId}/${e.spanId}`, { kind, input, output });
  const cost = new Map<string, bigint>();
  for (const e of events) {
    add(totals, `events ${e.projectId}/${e.type} count`, 1);
    const trace = `${e.projectId}/${e.traceId}`;
    if (!traces.has(trace)) traces.set(trace, { spans: new Set(), input: 0, output: 0 });
    if (e.type === 'generation.completed') {
      const key = `generations ${e.projectId}/${models.get(e.spanId)}`;
      add(totals, `${key} count`, 1);
      add(totals, `${key} input_tokens`, e.data.usage.inputTokens);
      add(totals, `${key} output_tokens`, e.data.usage.outputTokens);
      cost.set(key, (cost.get(key) ?? 0n) + toUnits(e.data.cost?.totalUsd ?? '0'));
      span(e, 'generation', e.data.usage.inputTokens, e.data.usage.outputTokens);
    } else if (e.type === 'generation.requested') {
      if (!spans.has(`${trace}/${e.spanId}`)) span(e, 'generation');
    } else if (e.type === 'span.recorded') {
      span(e, e.data.kind ?? 'span', e.data.usage?.inputTokens, e.data.usage?.outputTokens);
    }
  }
  for (const [key, units] of cost) totals.set(`${key} cost_usd`, fromUnits(units));
  for (const [key, span] of spans) {
    const [project, traceId] = key.split('/');
    add(totals, `spans ${project}/${span.kind} count`, 1);
    add(totals, `spans ${project}/${span.kind} input_tokens`, span.input);
    add(totals, `spans ${project}/${span.kind} output_tokens`, span.output);
    const trace = traces.get(`${project}/${traceId}`)!;
    trace.spans.add(key);
    trace.input += span.input;
    trace.output += span.output;
  }
  for (const [key, trace] of traces) {
    if (!trace.spans.size) continue;
    const project = key.split('/')[0];
    add(totals, `traces ${project} count`, 1);
    add(totals, `traces ${project} span_count`, trace.spans.size);
    add(totals, `traces ${project} input_tokens`, trace.input);
    add(totals, `traces ${project} output_tokens`, trace.output);
  }
  return totals;
}

type Row = Record<string, string | number>;

/** The same figures as ClickHouse has them. */
export async function projectedTotals(ch: ClickHouse, projects: ReadonlySet<string>): Promise<Totals> {
  const totals: Totals = new Map();
  const params = { projects: [...projects] };
  const put = (rows: Row[], table: string, keyOf: (r: Row) => string, columns: string[]) => {
    for (const row of rows) {
      for (const column of columns) {
        const value = String(row[column]);
        totals.set(
          `${table} ${keyOf(row)} ${column}`,
          column === 'cost_usd' ? fromUnits(toUnits(value)) : value,
        );
      }
    }
  };
  const where = 'WHERE project_id IN {projects:Array(String)}';
  put(
    await ch.query<Row>(
      `SELECT project_id, type, count() AS count FROM events ${where} GROUP BY project_id, type`,
      params,
    ),
    'events',
    (r) => `${r.project_id}/${r.type}`,
    ['count'],
  );
  put(
    await ch.query<Row>(
      `SELECT project_id, model, count() AS count, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens, toString(sum(ifNull(cost_usd, 0))) AS cost_usd
       FROM generations ${where} GROUP BY project_id, model`,
      params,
    ),
    'generations',
    (r) => `${r.project_id}/${r.model}`,
    ['count', 'input_tokens', 'output_tokens', 'cost_usd'],
  );
  put(
    await ch.query<Row>(
      `SELECT project_id, kind, count() AS count, sum(input_tokens) AS input_tokens,
              sum(output_tokens) AS output_tokens
       FROM spans FINAL ${where} GROUP BY project_id, kind`,
      params,
    ),
    'spans',
    (r) => `${r.project_id}/${r.kind}`,
    ['count', 'input_tokens', 'output_tokens'],
  );
  put(
    await ch.query<Row>(
      `SELECT project_id, count() AS count, sum(span_count) AS span_count,
              sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens
       FROM traces FINAL ${where} GROUP BY project_id`,
      params,
    ),
    'traces',
    (r) => String(r.project_id),
    ['count', 'span_count', 'input_tokens', 'output_tokens'],
  );
  return totals;
}

/** Every figure that differs, as `key: expected X, projected Y`. */
export function compareTotals(expected: Totals, projected: Totals): string[] {
  const keys = [...new Set([...expected.keys(), ...projected.keys()])].sort();
  return keys.flatMap((key) =>
    expected.get(key) === projected.get(key)
      ? []
      : [`${key}: expected ${expected.get(key) ?? 'nothing'}, projected ${projected.get(key) ?? 'nothing'}`],
  );
}
