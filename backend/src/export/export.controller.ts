import { Controller, Get, Inject, Logger, Param, Post, Req, Res } from '@nestjs/common';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { once } from 'node:events';
import { CallerResolver } from '../auth/caller';
import { Clock } from '../common/clock';
import { InvalidInputError } from '../common/errors';
import { readRequestBody } from '../gateway/request-body';
import { CONTENT_TYPES, ExportEncoder } from './export-format';
import { parseExportRequest, type ExportFields, type ExportRequest } from './export-request';
import { ExportRows } from './export-rows';

const PROJECT_HEADER = 'x-sightline-project-id';
/** Export requests are a format, columns and a filter: small. */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * `GET /api/export/{traces|generations}?format=csv|jsonl&columns=id,model&filter=<TraceFilter JSON>`
 * or `POST` the same fields as a JSON object (`columns` a list, `filter` an object): the rows of the
 * traces or generations list that the filter matches, newest first, as a download. Authenticated by
 * an API key (its project) or a member's session (`projectId` or `x-sightline-project-id`; POST needs
 * the CSRF header); viewers may export.
 *
 * Progress: the count comes first, in `X-Total-Count`, then the rows stream as they are read, page
 * by page. A client shows rows received / total while it downloads and cancels by closing the
 * connection, which stops the reading at once. A job with a progress subscription (as restatements
 * have) would have to keep the file somewhere until it is fetched; an export's progress is simply
 * how far its download got, so one streamed request is the whole job. Errors before the first byte
 * are JSON (400 `unknown_column`, `invalid_filter`...); a failure mid-stream cuts the connection, so
 * a truncated file is never taken for a whole one.
 */
@Controller('api/export')
export class ExportController {
  private readonly logger = new Logger('Export');

  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(ExportRows) private readonly rows: ExportRows,
    @Inject(GraphQLSchemaHost) private readonly graphql: GraphQLSchemaHost,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  @Get(':kind')
  async get(@Req() req: Request, @Res() res: Response, @Param('kind') kind: string): Promise<void> {
    await this.export(req, res, kind, () => req.query as ExportFields);
  }

  @Post(':kind')
  async post(@Req() req: Request, @Res() res: Response, @Param('kind') kind: string): Promise<void> {
    await this.export(req, res, kind, async () => {
      const { json } = await readRequestBody(req, MAX_BODY_BYTES);
      // Anything but an object would otherwise read as "no fields": an export of everything.
      if (!json || typeof json !== 'object' || Array.isArray(json))
        throw new InvalidInputError('The request body must be a JSON object.', 'invalid_body');
      return json as ExportFields;
    });
  }

  private async export(
    req: Request,
    res: Response,
    kind: string,
    fields: () => ExportFields | Promise<ExportFields>,
  ): Promise<void> {
    const caller = this.callers.fromHttp(req);
    const request = parseExportRequest(kind, await fields(), this.graphql.schema);
    const header = req.headers[PROJECT_HEADER];
    const access = this.callers.authorize(
      caller,
      request.projectId ?? (typeof header === 'string' ? header : undefined),
      'viewer',
    );
    const total = await this.rows.count(request.kind, access.projectId, request.filter);
    res.attachment(fileName(request, this.clock.now()));
    res.setHeader('content-type', CONTENT_TYPES[request.format]);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-total-count', String(total));
    res.status(200);
    await this.stream(res, request, access.projectId);
  }

  /** Writes page after page, reading the next one only once the client took the last (flat memory). */
  private async stream(res: Response, request: ExportRequest, projectId: string): Promise<void> {
    const closed = new AbortController();
    res.once('close', () => closed.abort());
    const encoder = new ExportEncoder(request.format, request.columns);
    try {
      let empty = true;
      for await (const page of this.rows.pages(request.kind, projectId, request.filter, closed.signal)) {
        empty = false;
        if (!res.write(encoder.page(page))) await once(res, 'drain', { signal: closed.signal });
      }
      if (empty) res.write(encoder.page([]));
      res.end();
    } catch (error) {
      if (closed.signal.aborted) return; // the client went away: nothing to answer
      this.logger.error(`export of ${request.kind} failed mid-stream`, (error as Error).stack);
      res.destroy(error as Error);
    }
  }
}

/** `sightline-traces-2026-12-01T00-40-12Z.csv` */
function fileName(request: ExportRequest, now: Date): string {
  const at = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  return `sightline-${request.kind}-${at}.${request.format}`;
}
