import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { checkedList, invalidFilter, validateFilter, type FloatRange } from '../analytics/filter';
import { encodeListCursor, keyset, type ListOrder, type SortColumn } from '../analytics/list-order';
import { ClickHouse } from '../clickhouse/clickhouse';
import { chTimeToIso, isoToChTime } from '../clickhouse/time';

/** `ScoreListFilter` of schemas/graphql/traces.graphql. */
export interface ScoreListFilter {
  readonly from?: string | null;
  readonly to?: string | null;
  readonly names?: readonly string[] | null;
  readonly sources?: readonly string[] | null;
  readonly traceIds?: readonly string[] | null;
  readonly dataTypes?: readonly string[] | null;
  readonly value?: FloatRange | null;
  readonly stringValues?: readonly string[] | null;
}

export type ScoreOrderField = 'RECORDED_AT' | 'VALUE';

/** The sort fields of `scores(orderBy:)`: fixed SQL; a categorical score's value sorts as 0. */
export const SCORE_SORT: Readonly<Record<ScoreOrderField, SortColumn>> = {
  RECORDED_AT: { expr: 'recorded_at', type: "DateTime64(3, 'UTC')" },
  VALUE: { expr: 'ifNull(value, 0)', type: 'Float64' },
};

/** A score's id in a project (the table is keyed by trace, then score). */
const SCORE_KEY = "concat(trace_id, '/', score_id)";

/** The GraphQL `Score`. */
export interface ScoreView {
  id: string;
  traceId: string;
  spanId: string | null;
  name: string;
  dataType: string;
  value: number | null;
  stringValue: string;
  comment: string | null;
  source: string;
  recordedAt: string;
}

export interface ScorePage {
  edges: { cursor: string; node: ScoreView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** A project's scores that `filter` matches, in `order`, keyset-paginated on (sort value, trace/score id). */
export class ListScoresQuery extends Query<ScorePage> {
  constructor(
    readonly projectId: string,
    readonly filter: ScoreListFilter,
    readonly order: ListOrder<ScoreOrderField>,
    readonly first: number,
    /** The previous page's `endCursor`. */
    readonly after: string | undefined,
  ) {
    super();
  }
}

const DATA_TYPES: ReadonlySet<string> = new Set(['numeric', 'categorical', 'boolean']);

/**
 * The filter as conditions with bound parameters (`s<n>`), always scoped to the project.
 * @throws InvalidInputError `invalid_filter`, param `filter.<field>`
 */
export function compileScoreFilter(
  projectId: string,
  filter: ScoreListFilter,
): { where: string; params: Record<string, unknown> } {
  validateFilter({ from: filter.from, to: filter.to });
  const params: Record<string, unknown> = { s_project: projectId };
  const conditions = ['project_id = {s_project:String}'];
  const bind = (type: string, value: unknown) => {
    const name = `s${Object.keys(params).length}`;
    params[name] = value;
    return `{${name}:${type}}`;
  };
  if (filter.from != null)
    conditions.push(`recorded_at >= ${bind("DateTime64(3, 'UTC')", isoToChTime(filter.from))}`);
  if (filter.to != null)
    conditions.push(`recorded_at < ${bind("DateTime64(3, 'UTC')", isoToChTime(filter.to))}`);
  const lists = [
    ['names', 'name', filter.names, null],
    ['sources', 'source', filter.sources, null],
    ['traceIds', 'trace_id', filter.traceIds, null],
    ['dataTypes', 'toString(data_type)', filter.dataTypes, DATA_TYPES],
    ['stringValues', 'string_value', filter.stringValues, null],
  ] as const;
  for (const [field, column, values, known] of lists) {
    if (!values?.length) continue;
    const stored = checkedList(field, values, known ?? undefined);
    conditions.push(`${column} IN ${bind('Array(String)', stored)}`);
  }
  const range = filter.value;
  if (range) {
    for (const bound of ['min', 'max'] as const) {
      const v = range[bound];
      if (v != null && !Number.isFinite(v)) throw invalidFilter(`value.${bound}`, 'must be a finite number');
      if (v != null) conditions.push(`value ${bound === 'min' ? '>=' : '<='} ${bind('Float64', v)}`);
    }
    if (range.min != null && range.max != null && range.min > range.max)
      throw invalidFilter('value', 'min must not be above max');
  }
  return { where: conditions.join(' AND '), params };
}

interface Listed {
  score_id: string;
  trace_id: string;
  span_id: string;
  name: string;
  data_type_text: string;
  value: number | string | null;
  string_value: string;
  comment: string;
  source: string;
  recorded_text: string;
  sort_key: string;
  score_key: string;
}

/**
 * Computed columns take their own aliases: an alias named as a column would replace it in WHERE.
 * FINAL: a re-recorded score id shows its latest value only, and the WHERE runs after FINAL's merge so
 * an older value never matches in its place. `scores` is sorted by (project, trace, score): the project
 * prefix bounds the read to the project's granules, `traceIds` to those traces'.
 */
@QueryHandler(ListScoresQuery)
export class ListScoresHandler implements IQueryHandler<ListScoresQuery, ScorePage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, filter, order, first, after }: ListScoresQuery): Promise<ScorePage> {
    const { where, params } = compileScoreFilter(projectId, filter);
    const keys = keyset(SCORE_SORT[order.field], SCORE_KEY, order, after);
    const rows = await this.ch.query<Listed>(
      `SELECT score_id, trace_id, span_id, name, toString(data_type) AS data_type_text, value, string_value, comment,
              source, toString(recorded_at) AS recorded_text, ${keys.sortKey} AS sort_key, ${SCORE_KEY} AS score_key
       FROM scores FINAL
       WHERE ${where} AND ${keys.after}
       ORDER BY ${keys.orderBy}
       LIMIT {limit:UInt32}`,
      { ...params, ...keys.params, limit: first + 1 },
    );
    const edges = rows.slice(0, first).map((r) => ({
      cursor: encodeListCursor(order, r.sort_key, r.score_key),
      node: {
        id: r.score_id,
        traceId: r.trace_id,
        spanId: r.span_id || null,
        name: r.name,
        dataType: r.data_type_text.toUpperCase(),
        value: r.value === null ? null : Number(r.value),
        stringValue: r.string_value,
        comment: r.comment || null,
        source: r.source,
        recordedAt: chTimeToIso(r.recorded_text),
      },
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }
}
