import { assertNever } from '../common/assert-never';
import { isDomainError, type DomainError } from '../common/errors';
import { restError } from '../common/rest-errors';
import { UnsupportedContentTypeError } from './otlp-wire';

/** An OTLP/HTTP error answer: the HTTP status and the `google.rpc.Status` code and message. */
export interface OtlpErrorAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly code: number;
  readonly message: string;
}

// google.rpc.Code values.
const RPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

function rpcCode(error: DomainError): number {
  switch (error.kind) {
    case 'validation':
    case 'too_large':
    case 'unknown_model':
    case 'provider_not_configured':
      return RPC.INVALID_ARGUMENT;
    case 'unauthenticated':
      return RPC.UNAUTHENTICATED;
    case 'csrf':
    case 'forbidden':
      return RPC.PERMISSION_DENIED;
    case 'not_found':
      return RPC.NOT_FOUND;
    case 'conflict':
      return RPC.ABORTED;
    case 'rate_limited':
    case 'budget_exceeded':
      return RPC.RESOURCE_EXHAUSTED;
    case 'provider':
      return RPC.UNAVAILABLE;
    default:
      return assertNever(error);
  }
}

/**
 * How OTLP/HTTP answers what was thrown: the status REST uses for a typed error (400, 401, 404, 413,
 * 429...), 415 for a content type OTLP does not define; undefined for anything unexpected (a bug: 500).
 */
export function otlpError(error: unknown): OtlpErrorAnswer | undefined {
  if (error instanceof UnsupportedContentTypeError) {
    return { status: 415, headers: {}, code: RPC.INVALID_ARGUMENT, message: error.message };
  }
  if (!isDomainError(error)) return undefined;
  const { status, headers } = restError(error);
  return { status, headers, code: rpcCode(error), message: error.message };
}

export const INTERNAL_ERROR = { status: 500, headers: {}, code: RPC.INTERNAL, message: 'Internal error' };
