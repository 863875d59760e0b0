import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { MAX_BODY_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from './json-depth';

/** body-parser's errors carry these; typed by `type`, not by message. */
interface BodyParserError {
  readonly type?: string;
  readonly status?: number;
}

const CODES: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'REQUEST_TOO_LARGE', message: 'The request body is too large.' },
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: 'The request body is not valid JSON.' },
  'entity.too.deep': { status: 400, code: 'BAD_REQUEST', message: TOO_DEEP_MESSAGE },
};

/** body-parser's `verify` hook runs before parsing; what it throws comes back typed by `type`. */
function refuseDeepBodies(_req: unknown, _res: unknown, body: Buffer): void {
  if (nestsDeeperThan(body, MAX_BODY_DEPTH))
    throw Object.assign(new Error(TOO_DEEP_MESSAGE), { type: 'entity.too.deep' });
}

/**
 * A JSON body parser with a size cap and a nesting limit, whose failures answer in the GraphQL error shape with a
 * stable code (also fine for REST clients), instead of reaching the generic 500 handler.
 */
export function jsonBody(limit: string): [RequestHandler, ErrorRequestHandler] {
  const jsonBodyError: ErrorRequestHandler = (error: BodyParserError, _req, res, next) => {
    const known = error?.type ? CODES[error.type] : undefined;
    if (!known) return next(error);
    res.status(known.status).json({ errors: [{ message: known.message, extensions: { code: known.code } }] });
  };
  return [express.json({ limit, verify: refuseDeepBodies }), jsonBodyError];
}
