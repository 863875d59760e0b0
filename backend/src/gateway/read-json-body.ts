import type { Request } from 'express';
import { GatewayError } from './gateway-error';

/** Read and parse a JSON body with a size cap, answering in OpenAI's error shape. */
export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) {
    throw new GatewayError(
      400,
      'The request body is empty; send a JSON object.',
      'invalid_request_error',
      'invalid_body',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GatewayError(
      400,
      `The request body is not valid JSON: ${(error as Error).message}`,
      'invalid_request_error',
      'invalid_json',
    );
  }
}

function tooLarge(maxBytes: number): GatewayError {
  return new GatewayError(
    413,
    `The request body is larger than ${maxBytes} bytes.`,
    'invalid_request_error',
    'body_too_large',
  );
}
