import { MAX_INGEST_BODY_BYTES, MAX_INGEST_ITEMS } from '@sightline/schemas';
import type { Request } from 'express';
import { InvalidInputError, PayloadTooLargeError } from '../common/errors';
import { MAX_BODY_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from '../common/json-depth';

const invalid = (message: string, reason = 'invalid_batch') => new InvalidInputError(message, reason);

async function readBody(req: Request): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_INGEST_BODY_BYTES) {
    throw new PayloadTooLargeError(MAX_INGEST_BODY_BYTES);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INGEST_BODY_BYTES) throw new PayloadTooLargeError(MAX_INGEST_BODY_BYTES);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A `POST /api/ingest` body's items, each still unchecked, and its size in bytes. */
export interface RawBatch {
  readonly items: unknown[];
  readonly bytes: number;
}

/**
 * The items of a `POST /api/ingest` body, each still unchecked. The request as a whole is refused
 * only when no item can be told apart: over the byte cap (413), not JSON, not `{ "batch": [...] }`,
 * empty or over the item cap (400).
 */
export async function readBatch(req: Request): Promise<RawBatch> {
  const body = await readBody(req);
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw invalid(TOO_DEEP_MESSAGE, 'body_too_deep');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(`The request body is not valid JSON: ${(error as Error).message}`, 'invalid_json');
  }
  const batch = (parsed as { batch?: unknown } | null)?.batch;
  if (!Array.isArray(batch)) throw invalid('The body must be a JSON object { "batch": [items] }.');
  if (!batch.length) throw invalid('The batch is empty.');
  if (batch.length > MAX_INGEST_ITEMS) {
    throw invalid(
      `The batch has ${batch.length} items; at most ${MAX_INGEST_ITEMS} are accepted.`,
      'too_many_items',
    );
  }
  return { items: batch, bytes: body.length };
}
