import type { IncomingMessage as Request } from 'node:http';
import { InvalidInputError, PayloadTooLargeError } from '../common/errors';
import { MAX_BODY_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from '../common/json-depth';

/** A request body as it came (for same-format passthrough) and parsed. */
export interface RequestBody {
  readonly bytes: Buffer;
  readonly json: unknown;
}

/** Read and parse a JSON body with a size cap; throws InvalidInputError or PayloadTooLargeError. */
export async function readRequestBody(req: Request, maxBytes: number): Promise<RequestBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new PayloadTooLargeError(maxBytes);
  return parseBody(await readAll(req, maxBytes));
}

/**
 * The body's bytes, from `data` events (an async iterator costs a stream wrapper and a promise per
 * chunk). Past `maxBytes` it stops reading and rejects; the caller answers 413.
 */
function readAll(req: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (error: Error | undefined): void => {
      req.off('data', onData).off('end', onEnd).off('error', settle).off('close', onClose);
      if (error) reject(error);
      else resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        settle(new PayloadTooLargeError(maxBytes));
      } else chunks.push(chunk);
    };
    const onEnd = (): void => settle(undefined);
    const onClose = (): void =>
      settle(new Error('The client closed the connection before sending the whole body'));
    req.on('data', onData).on('end', onEnd).on('error', settle).on('close', onClose);
  });
}

function parseBody(body: Buffer): RequestBody {
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw new InvalidInputError(TOO_DEEP_MESSAGE, 'body_too_deep');
  const text = body.toString('utf8');
  if (!text.trim()) {
    throw new InvalidInputError('The request body is empty; send a JSON object.', 'invalid_body');
  }
  try {
    return { bytes: body, json: JSON.parse(text) as unknown };
  } catch (error) {
    throw new InvalidInputError(
      `The request body is not valid JSON: ${(error as Error).message}`,
      'invalid_json',
    );
  }
}
