/**
 * Sightline's typed errors: what a caller did wrong or what went wrong upstream, never how to say it.
 * Each transport maps them in one place, routed on `kind`: the OpenAI wire shape for `/v1/*`
 * (`gateway/openai-errors.ts`), GraphQL codes (`graphql/graphql-errors.ts`) and plain JSON for REST
 * (`common/rest-errors.ts`). Anything else that is thrown is unexpected: logged, answered generically.
 */
export type DomainError =
  | InvalidInputError
  | PayloadTooLargeError
  | UnauthenticatedError
  | CsrfError
  | ForbiddenError
  | NotFoundError
  | ConflictError
  | TooManyRequestsError
  | BudgetExceededError
  | UnknownModelError
  | ProviderNotConfiguredError
  | ProviderError;

abstract class KnownError extends Error {
  abstract readonly kind: DomainError['kind'];
  constructor(
    message: string,
    /** Stable snake_case detail for clients to branch on, e.g. `last_owner`, `invite_expired`. */
    readonly reason: string,
  ) {
    super(message);
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof KnownError;
}

/** Input the caller can fix (bad email, short password, expired link, invalid field...). */
export class InvalidInputError extends KnownError {
  override readonly name = 'InvalidInputError';
  readonly kind = 'validation';
  constructor(
    message: string,
    reason: string,
    /** The offending field, dotted (`messages.0.role`), when there is one. */
    readonly param: string | null = null,
  ) {
    super(message, reason);
  }
}

/** The request body is over the size cap. */
export class PayloadTooLargeError extends KnownError {
  override readonly name = 'PayloadTooLargeError';
  readonly kind = 'too_large';
  constructor(readonly maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes.`, 'body_too_large');
  }
}

/** No valid credentials: answered with no hint of what exists. */
export class UnauthenticatedError extends KnownError {
  override readonly name = 'UnauthenticatedError';
  readonly kind = 'unauthenticated';
  constructor(message = 'Authentication required') {
    super(message, 'unauthenticated');
  }
}

/** A cookie-authenticated write without the matching CSRF token (or from another origin). */
export class CsrfError extends KnownError {
  override readonly name = 'CsrfError';
  readonly kind = 'csrf';
  constructor() {
    super('Missing or wrong CSRF token', 'csrf');
  }
}

/** The caller sees the project but its role does not allow this. */
export class ForbiddenError extends KnownError {
  override readonly name = 'ForbiddenError';
  readonly kind = 'forbidden';
  constructor(message = 'Your role in this project does not allow this') {
    super(message, 'forbidden');
  }
}

export class NotFoundError extends KnownError {
  override readonly name: string = 'NotFoundError';
  readonly kind = 'not_found';
}

/** The project does not exist or the caller may not see it: the same answer for both. */
export class ProjectNotFoundError extends NotFoundError {
  override readonly name = 'ProjectNotFoundError';
  constructor() {
    super('Project not found', 'project_not_found');
  }
}

/** The command lost a race or contradicts the current state (e.g. a stale expected version). */
export class ConflictError extends KnownError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict';
}

export class TooManyRequestsError extends KnownError {
  override readonly name = 'TooManyRequestsError';
  readonly kind = 'rate_limited';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry in ${retryAfterSeconds} s`, 'too_many_requests');
  }
}

/**
 * A hard budget would be exceeded by this call: refused before anything is sent upstream. The
 * message names the budget, what was spent of it and when its window resets.
 */
export class BudgetExceededError extends KnownError {
  override readonly name = 'BudgetExceededError';
  readonly kind = 'budget_exceeded';
  constructor(
    message: string,
    readonly budgetId: string,
    /** Seconds until the budget's window (UTC day or month) starts afresh. */
    readonly retryAfterSeconds: number,
  ) {
    super(message, 'budget_exceeded');
  }
}

/** No provider serves the model: neither the catalog, the project's own models nor a provider prefix. */
export class UnknownModelError extends KnownError {
  override readonly name = 'UnknownModelError';
  readonly kind = 'unknown_model';
  constructor(
    readonly model: string,
    /** Close matches among the names the caller could use, best first (may be empty). */
    readonly suggestions: readonly string[] = [],
    /** The whole message, when more is known than that no rule routes it (a project model removed since). */
    message = `No provider serves the model '${model}'.${didYouMean(suggestions)}`,
  ) {
    super(message, 'model_not_found');
  }
}

/** ` Did you mean 'a' or 'b'?`, or nothing when there is no close match. */
export function didYouMean(suggestions: readonly string[]): string {
  if (!suggestions.length) return '';
  const quoted = suggestions.map((s) => `'${s}'`);
  const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0];
  return ` Did you mean ${list}?`;
}

/**
 * The model is known but its provider has no credential, neither the instance's (env) nor the
 * project's: the message names what to set.
 */
export class ProviderNotConfiguredError extends KnownError {
  override readonly name = 'ProviderNotConfiguredError';
  readonly kind = 'provider_not_configured';
  constructor(
    readonly model: string,
    /** Provider id, e.g. `anthropic`. */
    readonly provider: string,
    /** `Anthropic` */
    providerName: string,
    /** What would configure it, e.g. `set ANTHROPIC_API_KEY or add an Anthropic key in Settings → Providers`. */
    readonly remedy: string,
  ) {
    super(
      `The model '${model}' is served by ${providerName}, which is not configured: ${remedy}.`,
      'provider_not_configured',
    );
  }
}

/** A provider's error body, e.g. `{"error":{"message","type","param","code"}}` for `openai-chat`. */
export interface ProviderErrorBody {
  /** A `WireFormatId`. */
  readonly format: string;
  readonly text: string;
}

/** The provider answered with an error, or could not be reached. */
export class ProviderError extends KnownError {
  override readonly name = 'ProviderError';
  readonly kind = 'provider';
  constructor(
    message: string,
    /** HTTP status from the provider; null when it could not be reached. */
    readonly providerStatus: number | null,
    /** Stable class recorded in `generation.failed`: provider_error, provider_unreachable, timeout... */
    readonly errorClass: string,
    /** The provider's retry hints (`retry-after`, `retry-after-ms`, `x-ratelimit-*`), lower-case names. */
    readonly providerHeaders: Readonly<Record<string, string>> = {},
    /**
     * The provider's own error body as it sent it, and the wire format it is in: passed through
     * unchanged to a caller speaking that format (its error type and code intact).
     */
    readonly providerBody?: ProviderErrorBody,
  ) {
    super(message, errorClass);
  }

  /**
   * The status a gateway caller gets when the provider's error is answered in Sightline's own words:
   * a client error (4xx) keeps the provider's status, a timeout is 504, anything else 502.
   */
  get gatewayStatus(): number {
    if (this.errorClass === 'timeout') return 504;
    return this.providerStatus && this.providerStatus < 500 ? this.providerStatus : 502;
  }

  /** Seconds the provider asked to wait, if it said. */
  get retryAfterSeconds(): number | undefined {
    const seconds = Number(this.providerHeaders['retry-after']);
    return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
  }
}
