import { isoToChTime } from '../clickhouse/time';
import { validateFilter, type Filter, type FloatRange } from './filter';

/** A WHERE condition with its bound `{name:Type}` parameters. */
export interface CompiledFilter {
  readonly where: string;
  readonly params: Record<string, unknown>;
}

/**
 * Which rows the filter selects: `generations` rows, `traces` rows (with subqueries into spans,
 * generations, scores), `trace_list` rows (as `traces`, with models, providers and sources read from
 * the row), or rows of the generation rollups (only the fields they keep: time, models, providers,
 * sources, statuses, errors; `analytics-plan` sends nothing else there), or `spans` rows (the
 * fields a span has of its own; `spans(filter:)` sends nothing else there).
 */
export type FilterTarget = 'generations' | 'traces' | 'trace_list' | 'rollup' | 'spans';

const STORED_STATUS: Readonly<Record<string, string | undefined>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
};

/** Names every value it is given a parameter; SQL text only ever holds the placeholder. */
class Binder {
  readonly params: Record<string, unknown> = {};
  private next = 0;

  constructor(private readonly prefix: string) {}

  bind(type: string, value: unknown): string {
    const name = `${this.prefix}${this.next++}`;
    this.params[name] = value;
    return `{${name}:${type}}`;
  }
}

const and = (conditions: readonly string[]) => (conditions.length ? conditions.join(' AND ') : '1');
const nonEmpty = <T>(values: readonly T[] | null | undefined): values is readonly T[] => !!values?.length;

/** ClickHouse LIKE pattern matching `text` anywhere (its `%`, `_` and `\` taken literally). */
export const containsPattern = (text: string) =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function rangeOf(b: Binder, column: string, r: FloatRange | null | undefined): string[] {
  if (!r) return [];
  return [
    ...(r.min != null ? [`${column} >= ${b.bind('Float64', r.min)}`] : []),
    ...(r.max != null ? [`${column} <= ${b.bind('Float64', r.max)}`] : []),
  ];
}

function metadataOf(b: Binder, filter: Filter): string[] {
  const entries = [
    ...(filter.metadata ?? []),
    ...(filter.prompt
      ? [
          { key: 'prompt.name', value: filter.prompt.name },
          ...(filter.prompt.version != null
            ? [{ key: 'prompt.version', value: String(filter.prompt.version) }]
            : []),
        ]
      : []),
  ];
  return entries.map(({ key, value }) =>
    value == null
      ? `mapContains(metadata, ${b.bind('String', key)})`
      : `metadata[${b.bind('String', key)}] = ${b.bind('String', value)}`,
  );
}

function statusesOf(b: Binder, filter: Filter): string[] {
  if (!filter.statuses) return [];
  const stored = filter.statuses.flatMap((s) => STORED_STATUS[s] ?? []);
  return [stored.length ? `toString(status) IN ${b.bind('Array(String)', stored)}` : '0'];
}

/**
 * Case-insensitive substring match over `columns`: ILIKE on the bare column is the form the `text`
 * indexes of generations' input and output serve (0041), from their dictionaries of lower-cased
 * words. A search of several words also asks for each of its words of 4+ characters alone: the index
 * cannot look a phrase up whole, but it can skip the granules missing one of its words.
 */
const searchOf = (b: Binder, columns: readonly string[], search: string) => {
  const text = search.trim();
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 4 && w !== text);
  const patterns = [text, ...words].map((w) => b.bind('String', containsPattern(w)));
  const matches = (c: string) => patterns.map((p) => `${c} ILIKE ${p}`).join(' AND ');
  return `(${columns.map((c) => `(${matches(c)})`).join(' OR ')})`;
};

function scoresOf(b: Binder, filter: Filter, project: string): string[] {
  return (filter.scores ?? []).map((s) => {
    const conditions = [
      `project_id = ${project}`,
      `name = ${b.bind('String', s.name)}`,
      ...rangeOf(b, 'value', s),
      ...(s.value != null ? [`string_value = ${b.bind('String', s.value)}`] : []),
    ];
    return `trace_id IN (SELECT trace_id FROM scores FINAL WHERE ${and(conditions)})`;
  });
}

/**
 * A generation with a price: an unpriced one (no cost, or flagged `unpriced`) has no cost to compare,
 * so a cost range never selects it (as a first-token range never selects an unstreamed call).
 */
const PRICED = `cost_usd IS NOT NULL AND NOT has(cost_flags, 'unpriced')`;

const costOf = (b: Binder, filter: Filter) => {
  const range = rangeOf(b, 'toFloat64(cost_usd)', filter.cost);
  return range.length ? [PRICED, ...range] : [];
};

const errorsOf = (filter: Filter) =>
  filter.hasError == null ? [] : [filter.hasError ? `status = 'failed'` : `status != 'failed'`];

/** Conditions on columns a `generations` row has of its own (its rollups keep models, providers, sources and statuses). */
function generationColumns(b: Binder, filter: Filter): string[] {
  const c: string[] = [];
  if (nonEmpty(filter.models)) {
    const models = b.bind('Array(String)', filter.models);
    c.push(`(model IN ${models} OR served_model IN ${models})`);
  }
  if (nonEmpty(filter.providers)) c.push(`provider IN ${b.bind('Array(String)', filter.providers)}`);
  if (nonEmpty(filter.sources)) c.push(`source IN ${b.bind('Array(String)', filter.sources)}`);
  if (nonEmpty(filter.apiKeyIds)) c.push(`api_key_id IN ${b.bind('Array(String)', filter.apiKeyIds)}`);
  c.push(...metadataOf(b, filter), ...statusesOf(b, filter));
  if (filter.errorMessage != null)
    c.push(`positionCaseInsensitiveUTF8(error_message, ${b.bind('String', filter.errorMessage)}) > 0`);
  c.push(...rangeOf(b, 'ttft_ms', filter.timeToFirstTokenMs));
  return c;
}

function compileGenerations(b: Binder, filter: Filter, project: string): string[] {
  const c = [`project_id = ${project}`, ...timeOf(b, filter), ...generationColumns(b, filter)];
  if (nonEmpty(filter.userIds)) c.push(`user_id IN ${b.bind('Array(String)', filter.userIds)}`);
  if (nonEmpty(filter.sessionIds)) c.push(`session_id IN ${b.bind('Array(String)', filter.sessionIds)}`);
  if (nonEmpty(filter.tags)) c.push(`hasAll(tags, ${b.bind('Array(String)', filter.tags)})`);
  c.push(...errorsOf(filter));
  c.push(
    ...costOf(b, filter),
    ...rangeOf(b, 'latency_ms', filter.latencyMs),
    ...rangeOf(b, 'input_tokens', filter.inputTokens),
    ...rangeOf(b, 'output_tokens', filter.outputTokens),
    ...rangeOf(b, 'total_tokens', filter.totalTokens),
  );
  if (filter.search != null) c.push(searchOf(b, ['input', 'output'], filter.search));
  if (nonEmpty(filter.scores)) c.push(`(${scoresOf(b, filter, project).join(' AND ')})`);
  return c;
}

function timeOf(b: Binder, filter: Filter, column = 'started_at'): string[] {
  return [
    ...(filter.from != null
      ? [`${column} >= ${b.bind("DateTime64(3, 'UTC')", isoToChTime(filter.from))}`]
      : []),
    ...(filter.to != null ? [`${column} < ${b.bind("DateTime64(3, 'UTC')", isoToChTime(filter.to))}`] : []),
  ];
}

/**
 * A trace's generations and spans start at or after the trace: `from` bounds their subqueries too
 * (cheap pruning on their `started_at` keys), `to` cannot.
 */
function inTraces(
  b: Binder,
  table: string,
  filter: Filter,
  project: string,
  conditions: string[],
  tail = '',
) {
  const since = filter.from != null ? timeOf(b, { from: filter.from }) : [];
  return `trace_id IN (SELECT trace_id FROM ${table} WHERE ${and([`project_id = ${project}`, ...since, ...conditions])}${tail})`;
}

/** `hasAny` over the row's own arrays (trace_list), else a condition on spans. */
function spanValues(b: Binder, column: string, values: readonly string[], inRow: boolean): string {
  const bound = b.bind('Array(String)', values);
  return inRow ? `hasAny(${column}s, ${bound})` : `${column} IN ${bound}`;
}

function compileTraces(b: Binder, filter: Filter, project: string, inRow: boolean): string[] {
  const c = [`project_id = ${project}`, ...timeOf(b, filter)];
  if (nonEmpty(filter.userIds)) c.push(`user_id IN ${b.bind('Array(String)', filter.userIds)}`);
  if (nonEmpty(filter.sessionIds)) c.push(`session_id IN ${b.bind('Array(String)', filter.sessionIds)}`);
  if (nonEmpty(filter.tags)) c.push(`hasAll(tags, ${b.bind('Array(String)', filter.tags)})`);
  if (filter.hasError != null) c.push(filter.hasError ? 'error_count > 0' : 'error_count = 0');
  c.push(
    ...rangeOf(b, 'latency_ms', filter.latencyMs),
    ...rangeOf(b, 'input_tokens', filter.inputTokens),
    ...rangeOf(b, 'output_tokens', filter.outputTokens),
    ...rangeOf(b, 'total_tokens', filter.totalTokens),
  );
  // Spans carry model, provider, source and metadata for every kind of span (ingested ones too); the
  // trace list keeps the first three in the row.
  const spans: string[] = [];
  const inTrace = inRow ? c : spans;
  if (nonEmpty(filter.models)) inTrace.push(spanValues(b, 'model', filter.models, inRow));
  if (nonEmpty(filter.providers)) inTrace.push(spanValues(b, 'provider', filter.providers, inRow));
  if (nonEmpty(filter.sources)) inTrace.push(spanValues(b, 'source', filter.sources, inRow));
  spans.push(...metadataOf(b, filter));
  if (filter.errorMessage != null)
    spans.push(`positionCaseInsensitiveUTF8(status_message, ${b.bind('String', filter.errorMessage)}) > 0`);
  if (spans.length) c.push(inTraces(b, 'spans', filter, project, spans));
  // API keys, statuses, first-token waits and costs are recorded on generations only.
  const generations: string[] = [];
  if (nonEmpty(filter.apiKeyIds))
    generations.push(`api_key_id IN ${b.bind('Array(String)', filter.apiKeyIds)}`);
  generations.push(...statusesOf(b, filter), ...rangeOf(b, 'ttft_ms', filter.timeToFirstTokenMs));
  if (generations.length) c.push(inTraces(b, 'generations', filter, project, generations));
  // The trace's cost as `totalCost` has it: the sum over its priced generations; none priced, no cost.
  const cost = rangeOf(b, 'sum(toFloat64(cost_usd))', filter.cost);
  if (cost.length)
    c.push(inTraces(b, 'generations', filter, project, [PRICED], ` GROUP BY trace_id HAVING ${and(cost)}`));
  if (filter.search != null) {
    const own = searchOf(b, ['input_preview', 'output_preview'], filter.search);
    const theirs = inTraces(b, 'generations', filter, project, [
      searchOf(b, ['input', 'output'], filter.search),
    ]);
    c.push(`(${own} OR ${theirs})`);
  }
  c.push(...scoresOf(b, filter, project));
  return c;
}

/** A span's own columns: an error is status `error`, its message the status message. */
function compileSpans(b: Binder, filter: Filter, project: string): string[] {
  const c = [`project_id = ${project}`, ...timeOf(b, filter)];
  const lists = [
    ['model', filter.models],
    ['provider', filter.providers],
    ['source', filter.sources],
    ['user_id', filter.userIds],
    ['session_id', filter.sessionIds],
  ] as const;
  for (const [column, values] of lists)
    if (nonEmpty(values)) c.push(`${column} IN ${b.bind('Array(String)', values)}`);
  if (nonEmpty(filter.tags)) c.push(`hasAll(tags, ${b.bind('Array(String)', filter.tags)})`);
  c.push(...metadataOf(b, filter));
  if (filter.hasError != null) c.push(filter.hasError ? `status = 'error'` : `status != 'error'`);
  if (filter.errorMessage != null)
    c.push(`positionCaseInsensitiveUTF8(status_message, ${b.bind('String', filter.errorMessage)}) > 0`);
  c.push(
    ...rangeOf(b, 'toFloat64(cost_usd)', filter.cost),
    ...rangeOf(b, 'latency_ms', filter.latencyMs),
    ...rangeOf(b, 'input_tokens', filter.inputTokens),
    ...rangeOf(b, 'output_tokens', filter.outputTokens),
    ...rangeOf(b, 'total_tokens', filter.totalTokens),
  );
  return c;
}

/**
 * The WHERE condition selecting a project's rows of `target` that `filter` matches (always scoped to
 * `projectId`); every value travels as a `{name:Type}` parameter whose name starts with `prefix`.
 * @throws InvalidInputError `invalid_filter` (see `validateFilter`)
 */
export function compileFilter(
  projectId: string,
  filter: Filter | null | undefined,
  target: FilterTarget,
  prefix = 'f',
): CompiledFilter {
  const f = filter ?? {};
  validateFilter(f);
  const b = new Binder(prefix);
  const project = b.bind('String', projectId);
  const conditions =
    target === 'traces' || target === 'trace_list'
      ? compileTraces(b, f, project, target === 'trace_list')
      : target === 'rollup'
        ? [`project_id = ${project}`, ...timeOf(b, f, 'bucket'), ...generationColumns(b, f), ...errorsOf(f)]
        : target === 'spans'
          ? compileSpans(b, f, project)
          : compileGenerations(b, f, project);
  return { where: and(conditions), params: b.params };
}
