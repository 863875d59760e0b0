import { Inject } from '@nestjs/common';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { ClickHouse } from '../clickhouse/clickhouse';
import { isoToChTime } from '../clickhouse/time';
import type { GenerationRow } from './generation-row';
import { toGenerationView, type GenerationView } from './generation.view';

export const MAX_PAGE_SIZE = 200;

export interface GenerationPage {
  edges: { cursor: string; node: GenerationView }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Newest first, keyset-paginated on (started_at, span_id). */
export class ListGenerationsQuery extends Query<GenerationPage> {
  constructor(
    readonly projectId: string,
    readonly first: number,
    readonly after: { startedAt: string; spanId: string } | undefined,
  ) {
    super();
  }
}

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

export function encodeCursor(view: GenerationView): string {
  return Buffer.from(JSON.stringify([view.startedAt, view.spanId])).toString('base64url');
}

export function decodeCursor(cursor: string): { startedAt: string; spanId: string } {
  try {
    const [startedAt, spanId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof startedAt === 'string' && typeof spanId === 'string' && !Number.isNaN(Date.parse(startedAt))) {
      return { startedAt, spanId };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError('`after` is not a cursor this API returned');
}

const SELECT = `
  SELECT * FROM generations
  WHERE project_id = {projectId:String}
    AND ({afterSpanId:String} = '' OR (started_at, span_id) < ({afterStartedAt:DateTime64(3, 'UTC')}, {afterSpanId:String}))
  ORDER BY started_at DESC, span_id DESC
  LIMIT {limit:UInt32}`;

@QueryHandler(ListGenerationsQuery)
export class ListGenerationsHandler implements IQueryHandler<ListGenerationsQuery, GenerationPage> {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async execute({ projectId, first, after }: ListGenerationsQuery): Promise<GenerationPage> {
    const rows = await this.ch.query<GenerationRow>(SELECT, {
      projectId,
      afterStartedAt: after ? isoToChTime(after.startedAt) : '1970-01-01 00:00:00.000',
      afterSpanId: after?.spanId ?? '',
      limit: first + 1,
    });
    const edges = rows
      .slice(0, first)
      .map(toGenerationView)
      .map((node) => ({ cursor: encodeCursor(node), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    };
  }
}
