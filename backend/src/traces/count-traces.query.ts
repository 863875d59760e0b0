import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Filter } from '../analytics/filter';
import { compileFilter } from '../analytics/filter-sql';
import { ClickHouse } from '../clickhouse/clickhouse';

/** How many traces of a project `filter` matches: the rows `ListTracesQuery` pages through. */
export class CountTracesQuery extends Query<number> {
  constructor(
    readonly projectId: string,
    readonly filter: Filter,
  ) {
    super();
  }
}

@QueryHandler(CountTracesQuery)
export class CountTracesHandler implements IQueryHandler<CountTracesQuery, number> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, filter }: CountTracesQuery): Promise<number> {
    const { where, params } = compileFilter(projectId, filter, 'traces');
    const [row] = await this.ch.query<{ n: string }>(
      `SELECT count() AS n FROM traces FINAL WHERE ${where}`,
      params,
    );
    return Number(row?.n ?? 0);
  }
}
