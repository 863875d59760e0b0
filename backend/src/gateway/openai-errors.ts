import { assertNever } from '../common/assert-never';
import { didYouMean, isDomainError, ProviderError, type DomainError } from '../common/errors';

type OpenAiErrorType =
  | 'invalid_request_error'
  | 'api_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'authentication_error'
  | 'permission_error';

/** `{"error":{...}}` as OpenAI sends it, so OpenAI SDKs surface ours as they would OpenAI's own. */
export interface OpenAiErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: OpenAiErrorType;
    readonly param: string | null;
    readonly code: string | null;
  };
}

export interface OpenAiErrorResponse {
  readonly status: number;
  /** Lower-case header names: `retry-after`, and a provider's own retry hints passed through. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: OpenAiErrorBody;
  /** Not the caller's doing nor the provider's: log it (with its stack) server-side. */
  readonly unexpected: boolean;
}

function answer(
  status: number,
  type: OpenAiErrorType,
  message: string,
  code: string | null,
  param: string | null = null,
  headers: Record<string, string> = {},
): OpenAiErrorResponse {
  return { status, headers, body: { error: { message, type, param, code } }, unexpected: false };
}

/** Any thrown value → the OpenAI error a client expects; unknown ones become a generic 500. */
export function openAiError(error: unknown): OpenAiErrorResponse {
  if (!isDomainError(error)) {
    return { ...answer(500, 'api_error', 'Internal error.', 'internal_error'), unexpected: true };
  }
  return fromDomain(error);
}

function fromDomain(error: DomainError): OpenAiErrorResponse {
  switch (error.kind) {
    case 'validation':
      return answer(400, 'invalid_request_error', error.message, error.reason, error.param);
    case 'too_large':
      return answer(413, 'invalid_request_error', error.message, error.reason);
    case 'unauthenticated':
    case 'csrf':
      return answer(
        401,
        'authentication_error',
        'Incorrect or missing API key: send `Authorization: Bearer sl_…`.',
        'invalid_api_key',
      );
    case 'forbidden':
      return answer(403, 'permission_error', error.message, error.reason);
    case 'not_found':
      return answer(404, 'invalid_request_error', error.message, error.reason);
    case 'conflict':
      return answer(409, 'invalid_request_error', error.message, error.reason);
    case 'rate_limited':
      return answer(429, 'rate_limit_error', error.message, 'rate_limit_exceeded', null, {
        'retry-after': String(error.retryAfterSeconds),
      });
    case 'budget_exceeded':
      // OpenAI's own answer when a quota is used up: 429 `insufficient_quota`.
      return answer(429, 'insufficient_quota', error.message, error.reason, null, {
        'retry-after': String(error.retryAfterSeconds),
      });
    case 'unknown_model':
      return answer(
        404,
        'invalid_request_error',
        `The model '${error.model}' does not exist or you do not have access to it.${didYouMean(error.suggestions)}`,
        error.reason,
        'model',
      );
    case 'provider_not_configured':
      return answer(400, 'invalid_request_error', error.message, error.reason, 'model');
    case 'provider':
      return fromProvider(error);
    default:
      return assertNever(error);
  }
}

/** Client errors (4xx) keep the provider's status and retry hints; the rest are a bad gateway (or 504). */
function fromProvider(error: ProviderError): OpenAiErrorResponse {
  const status = error.gatewayStatus;
  return answer(
    status,
    status === 429 ? 'rate_limit_error' : 'api_error',
    `Provider error: ${error.message}`,
    error.errorClass,
    null,
    status < 500 ? { ...error.providerHeaders } : {},
  );
}
