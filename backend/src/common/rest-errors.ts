import { assertNever } from './assert-never';
import type { DomainError } from './errors';

/** REST's plain JSON error: `{ "error": { "message", "code" } }`, `code` being the error's `reason`. */
export interface RestErrorResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: { readonly message: string; readonly code: string } };
}

function statusOf(error: DomainError): number {
  switch (error.kind) {
    case 'validation':
    case 'unknown_model':
    case 'provider_not_configured':
      return 400;
    case 'too_large':
      return 413;
    case 'unauthenticated':
      return 401;
    case 'csrf':
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'rate_limited':
    case 'budget_exceeded':
      return 429;
    case 'provider':
      return 502;
    default:
      return assertNever(error);
  }
}

/** A typed error as REST (`/auth/*` ...) answers it. */
export function restError(error: DomainError): RestErrorResponse {
  return {
    status: statusOf(error),
    headers:
      error.kind === 'rate_limited' || error.kind === 'budget_exceeded'
        ? { 'retry-after': String(error.retryAfterSeconds) }
        : {},
    body: { error: { message: error.message, code: error.reason } },
  };
}
