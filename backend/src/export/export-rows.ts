import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Filter } from '../analytics/filter';
import { CountGenerationsQuery, ListGenerationsQuery } from '../generations/list-generations.query';
import { CountTracesQuery } from '../traces/count-traces.query';
import { ListTracesQuery } from '../traces/trace-queries';
import type { ExportKind } from './export-columns';

/** Rows per ClickHouse query: chDB hands a result over whole, so a page bounds what is held at once. */
export const EXPORT_PAGE_ROWS = 500;

type ExportRow = Readonly<Record<string, unknown>>;

/**
 * The rows of an export, read through the lists' own queries (same filter, same rows as the UI's
 * lists, newest first) one keyset page at a time: a page is read only when the previous one was
 * taken, so the consumer's pace (a slow download) is the reading pace.
 */
@Injectable()
export class ExportRows {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  /** How many rows `pages` will give (as of now; rows arriving meanwhile may add a few). */
  count(kind: ExportKind, projectId: string, filter: Filter): Promise<number> {
    return this.queries.execute(
      kind === 'traces'
        ? new CountTracesQuery(projectId, filter)
        : new CountGenerationsQuery(projectId, filter),
    );
  }

  /** Pages of `pageRows` rows, newest first, until the set ends or `signal` aborts. */
  async *pages(
    kind: ExportKind,
    projectId: string,
    filter: Filter,
    signal?: AbortSignal,
    pageRows = EXPORT_PAGE_ROWS,
  ): AsyncGenerator<readonly ExportRow[]> {
    const order = { field: 'STARTED_AT', direction: 'DESC' } as const;
    let after: string | undefined;
    while (!signal?.aborted) {
      const page =
        kind === 'traces'
          ? await this.queries.execute(new ListTracesQuery(projectId, filter, order, pageRows, after))
          : await this.queries.execute(new ListGenerationsQuery(projectId, pageRows, after, filter, order));
      const rows = page.edges.map((e) => e.node as unknown as ExportRow);
      if (rows.length) yield rows;
      if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
      after = page.pageInfo.endCursor;
    }
  }
}
