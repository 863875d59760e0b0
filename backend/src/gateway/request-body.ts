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
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw new PayloadTooLargeError(maxBytes);
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
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
