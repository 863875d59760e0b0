import { Controller, Inject, Logger, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { CallerResolver } from '../auth/caller';
import { UnauthenticatedError } from '../common/errors';
import { apiKeyFromBasic, apiKeyFromBearer } from './otlp-auth';
import { INTERNAL_ERROR, otlpError } from './otlp-errors';
import { OtlpIngest } from './otlp-ingest';
import {
  CONTENT_TYPES,
  decodeRequest,
  encodeResponse,
  encodeStatus,
  encodingOf,
  readBody,
  type OtlpEncoding,
} from './otlp-wire';

type KeyOf = (headers: IncomingHttpHeaders) => string | undefined;

/**
 * OTLP/HTTP trace export (protobuf or JSON, optionally gzip-compressed), answered 200 with an
 * ExportTraceServiceResponse in the request's encoding (`partialSuccess` naming rejected spans), or
 * an error status with a `google.rpc.Status` body: 400 unreadable, 401 no valid key, 413 over
 * 16 MiB, 415 another content type.
 * - `POST /v1/traces`: `Authorization: Bearer sl_…` (a project API key);
 * - `POST /api/public/otel/v1/traces`: HTTP Basic, public key (the key id `pk_…`) : secret key.
 */
@Controller()
export class OtlpController {
  private readonly logger = new Logger('OTLP');

  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(OtlpIngest) private readonly ingest: OtlpIngest,
  ) {}

  @Post('v1/traces')
  traces(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(req, res, apiKeyFromBearer);
  }

  @Post('api/public/otel/v1/traces')
  publicTraces(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.answer(req, res, apiKeyFromBasic);
  }

  private async answer(req: Request, res: Response, keyOf: KeyOf): Promise<void> {
    let encoding: OtlpEncoding = 'json';
    try {
      const { projectId, keyId } = this.keyOf(req, keyOf);
      encoding = encodingOf(req.headers['content-type']);
      const request = decodeRequest(await readBody(req), encoding);
      const result = await this.ingest.export(projectId, request, keyId);
      res.status(200).type(CONTENT_TYPES[encoding]).send(encodeResponse(result, encoding));
    } catch (error) {
      const answer = otlpError(error) ?? INTERNAL_ERROR;
      if (answer === INTERNAL_ERROR) this.logger.error(error);
      res.status(answer.status).set(answer.headers).type(CONTENT_TYPES[encoding]);
      res.send(encodeStatus(answer.code, answer.message, encoding));
    }
  }

  /** The API key and its project; only API keys send traces (no session, so no CSRF to ask for). */
  private keyOf(req: Request, keyOf: KeyOf): { projectId: string; keyId?: string } {
    const key = keyOf(req.headers);
    if (!key) throw new UnauthenticatedError('An API key is required');
    const caller = this.callers.fromHttp({ method: 'POST', headers: { authorization: `Bearer ${key}` } });
    const { projectId } = this.callers.authorize(caller, undefined, 'member');
    return { projectId, ...(caller.kind === 'api-key' ? { keyId: caller.keyId } : {}) };
  }
}
