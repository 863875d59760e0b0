// The last @opentelemetry/otlp-transformer release that ships protobufjs code generated from
// opentelemetry-proto with decoders (later releases hand-write an encoder only). Pinned.
import generated from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { MAX_INGEST_BODY_BYTES } from '@sightline/schemas';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip, inflate } from 'node:zlib';
import { Writer } from 'protobufjs/minimal';
import { InvalidInputError, PayloadTooLargeError } from '../common/errors';
import { MAX_BODY_DEPTH, nestsDeeperThan, TOO_DEEP_MESSAGE } from '../common/json-depth';

/** The two messages of the trace service used here (the generated typings only say `Root`). */
interface Codec {
  decode(bytes: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
}
interface TraceService {
  readonly ExportTraceServiceRequest: Codec;
  readonly ExportTraceServiceResponse: Codec;
}
const service = (
  generated as unknown as { opentelemetry: { proto: { collector: { trace: { v1: TraceService } } } } }
).opentelemetry.proto.collector.trace.v1;

/** The two encodings of OTLP/HTTP. */
export type OtlpEncoding = 'protobuf' | 'json';

/** A Content-Type OTLP/HTTP does not define: answered 415. */
export class UnsupportedContentTypeError extends Error {
  override readonly name = 'UnsupportedContentTypeError';
  constructor(contentType: string | undefined) {
    super(
      `Unsupported Content-Type ${JSON.stringify(contentType ?? '')}: send application/x-protobuf or application/json.`,
    );
  }
}

/** The request's encoding from its Content-Type (parameters such as `charset` ignored). */
export function encodingOf(contentType: string | undefined): OtlpEncoding {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  throw new UnsupportedContentTypeError(contentType);
}

const invalid = (message: string, reason: string) => new InvalidInputError(message, reason);

async function readRaw(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > max) throw new PayloadTooLargeError(max);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new PayloadTooLargeError(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const unzip = { gzip: promisify(gunzip), deflate: promisify(inflate) };

/**
 * The request body, decompressed (`Content-Encoding: gzip` or `deflate`). At most
 * {@link MAX_INGEST_BODY_BYTES} bytes on the wire and again once inflated (413 otherwise).
 */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const raw = await readRaw(req, MAX_INGEST_BODY_BYTES);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw;
  if (encoding !== 'gzip' && encoding !== 'deflate') {
    throw invalid(
      `Unsupported Content-Encoding ${JSON.stringify(encoding)}: use gzip or none.`,
      'bad_encoding',
    );
  }
  try {
    return await unzip[encoding](raw, { maxOutputLength: MAX_INGEST_BODY_BYTES });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(MAX_INGEST_BODY_BYTES);
    }
    throw invalid(`The ${encoding} body does not decompress: ${(error as Error).message}`, 'bad_encoding');
  }
}

/** An ExportTraceServiceRequest as plain objects (see otlp-spans for reading it). 400 when unreadable. */
export function decodeRequest(body: Buffer, encoding: OtlpEncoding): unknown {
  if (encoding === 'protobuf') {
    try {
      return service.ExportTraceServiceRequest.decode(body);
    } catch (error) {
      throw invalid(
        `The body is not a protobuf ExportTraceServiceRequest: ${(error as Error).message}`,
        'malformed_protobuf',
      );
    }
  }
  if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw invalid(TOO_DEEP_MESSAGE, 'body_too_deep');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw invalid(`The body is not valid JSON: ${(error as Error).message}`, 'invalid_json');
  }
}

/** What was not accepted of an export; both zero/empty when everything was. */
export interface PartialSuccess {
  readonly rejectedSpans: number;
  readonly errorMessage: string;
}

/** The ExportTraceServiceResponse in the request's encoding; `partialSuccess` only when a span was rejected. */
export function encodeResponse(result: PartialSuccess, encoding: OtlpEncoding): Buffer | string {
  const partialSuccess = result.rejectedSpans ? result : undefined;
  if (encoding === 'json') {
    // proto3's JSON mapping writes int64 as a decimal string.
    return JSON.stringify(
      partialSuccess
        ? { partialSuccess: { ...partialSuccess, rejectedSpans: String(result.rejectedSpans) } }
        : {},
    );
  }
  return Buffer.from(service.ExportTraceServiceResponse.encode({ partialSuccess }).finish());
}

/** A `google.rpc.Status` (code, message), the body of an OTLP/HTTP error, in the request's encoding. */
export function encodeStatus(code: number, message: string, encoding: OtlpEncoding): Buffer | string {
  if (encoding === 'json') return JSON.stringify({ code, message });
  // google.rpc.Status: 1 int32 code, 2 string message (its `details` are left out).
  return Buffer.from(Writer.create().uint32(8).int32(code).uint32(18).string(message).finish());
}

export const CONTENT_TYPES: Record<OtlpEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};
