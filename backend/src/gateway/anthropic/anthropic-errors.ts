import { assertNever } from '../../common/assert-never';
import { isDomainError, ProviderError, type DomainError } from '../../common/errors';
import type { AnthropicErrorBody } from '../../providers/wire/anthropic-messages/anthropic-types';

/** The error as an Anthropic SDK expects it (it reads `error.type` and the status). */
export interface AnthropicErrorAnswer {
  readonly status: number;
  /** Lower-case header names: `retry-after`, and a provider's own retry hints passed through. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: AnthropicErrorBody;
  /** Not the caller's doing nor the provider's: log it (with its stack) server-side. */
  readonly unexpected: boolean;
}

/** Anthropic's error type for a 4xx status (API reference, "Errors"). */
const TYPE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function answer(status: number, message: string, headers: Record<string, string> = {}): AnthropicErrorAnswer {
  const type = TYPE_OF_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    status,
    headers,
    body: { type: 'error', error: { type, message }, request_id: null },
    unexpected: false,
  };
}

/**
 * Any thrown value → `{ type: 'error', error: { type, message } }` with Anthropic's status for it;
 * unknown ones become a generic 500 `api_error`. A provider's own Anthropic error never gets here
 * on a same-format call: the pipeline passes it through unchanged.
 */
export function anthropicError(error: unknown): AnthropicErrorAnswer {
  if (!isDomainError(error)) return { ...answer(500, 'Internal error.'), unexpected: true };
  return fromDomain(error);
}

function fromDomain(error: DomainError): AnthropicErrorAnswer {
  switch (error.kind) {
    case 'validation':
      return answer(400, error.message);
    case 'too_large':
      return answer(413, error.message);
    case 'unauthenticated':
    case 'csrf':
      return answer(
        401,
        'Incorrect or missing API key: send `x-api-key: sl_…` (or `Authorization: Bearer sl_…`).',
      );
    case 'forbidden':
      return answer(403, error.message);
    case 'not_found':
      return answer(404, error.message);
    case 'conflict':
      return answer(409, error.message);
    case 'rate_limited':
      return answer(429, error.message, { 'retry-after': String(error.retryAfterSeconds) });
    case 'budget_exceeded':
      return answer(429, error.message, { 'retry-after': String(error.retryAfterSeconds) });
    case 'unknown_model':
      return answer(404, error.message);
    case 'provider_not_configured':
      return answer(400, error.message);
    case 'provider':
      return fromProvider(error);
    default:
      return assertNever(error);
  }
}

/** Client errors (4xx) keep the provider's status and retry hints; a timeout is 504; the rest 502. */
function fromProvider(error: ProviderError): AnthropicErrorAnswer {
  const status = error.gatewayStatus;
  return answer(status, `Provider error: ${error.message}`, status < 500 ? { ...error.providerHeaders } : {});
}

/** How an error ends a stream that already started: Anthropic's `error` event. */
export function anthropicStreamError(answer: { readonly body: unknown }): string {
  return `event: error\ndata: ${JSON.stringify(answer.body)}\n\n`;
}
