import { Logger } from '@nestjs/common';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { assertNever } from '../common/assert-never';
import { isDomainError, type DomainError } from '../common/errors';

/** `extensions.code` of typed and unexpected errors (the limits add QUERY_TOO_COMPLEX, Apollo its own). */
export type GraphqlErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'CSRF'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PROVIDER_ERROR'
  | 'SUBSCRIBER_TOO_SLOW'
  | 'INTERNAL_SERVER_ERROR';

const INTERNAL_MESSAGE = 'Internal server error';

function codeOf(error: DomainError): GraphqlErrorCode {
  switch (error.kind) {
    case 'validation':
    case 'too_large':
    case 'unknown_model':
    case 'provider_not_configured':
      return 'BAD_USER_INPUT';
    case 'unauthenticated':
      return 'UNAUTHENTICATED';
    case 'csrf':
      return 'CSRF';
    case 'forbidden':
      return 'FORBIDDEN';
    case 'not_found':
      return 'NOT_FOUND';
    case 'conflict':
      return 'CONFLICT';
    case 'rate_limited':
    case 'budget_exceeded':
      return 'TOO_MANY_REQUESTS';
    case 'provider':
      return 'PROVIDER_ERROR';
    default:
      return assertNever(error);
  }
}

/** What a client may branch on besides the code: `reason` always, and the kind's own details. */
function detailsOf(error: DomainError): Record<string, unknown> {
  switch (error.kind) {
    case 'validation':
      return error.param ? { param: error.param } : {};
    case 'rate_limited':
      return { retryAfterSeconds: error.retryAfterSeconds };
    case 'budget_exceeded':
      return { budgetId: error.budgetId, retryAfterSeconds: error.retryAfterSeconds };
    case 'provider':
      return { providerStatus: error.providerStatus, retryAfterSeconds: error.retryAfterSeconds };
    case 'unknown_model':
      return { suggestions: error.suggestions };
    case 'provider_not_configured':
      return { provider: error.provider };
    default:
      return {};
  }
}

/** A typed error as the GraphQL error a client sees: `extensions: { code, reason, ... }`. */
export function graphqlErrorOf(error: DomainError): GraphQLError {
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: codeOf(error), reason: error.reason, ...detailsOf(error) },
  });
}

/**
 * A live subscription's notice that it read too slowly and lost its `missed` oldest updates; sent
 * in the stream (the subscription goes on) as `{ data: null, errors: [{ extensions: { code:
 * 'SUBSCRIBER_TOO_SLOW', missed } }] }`.
 */
export function missedUpdatesError(missed: number): GraphQLError {
  return new GraphQLError(`This subscription read too slowly: the ${missed} oldest updates were dropped`, {
    extensions: { code: 'SUBSCRIBER_TOO_SLOW' satisfies GraphqlErrorCode, missed },
  });
}

const logger = new Logger('GraphQL');

function internalError(cause: unknown): GraphQLError {
  logger.error(cause instanceof Error ? (cause.stack ?? cause.message) : String(cause));
  return new GraphQLError(INTERNAL_MESSAGE, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * Whatever a resolver threw, as the error to answer with (HTTP and graphql-ws alike): typed errors
 * get their code, GraphQL errors made on purpose pass, anything else is logged and answered generically.
 */
export function toGraphqlError(error: unknown): GraphQLError {
  if (isDomainError(error)) return graphqlErrorOf(error);
  if (error instanceof GraphQLError) return error;
  return internalError(error);
}

function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}

/**
 * Apollo's `formatError`, the last stop before an HTTP response. Typed errors that did not come
 * through {@link toGraphqlError} (a field resolver, a plugin) are mapped the same way; errors Apollo
 * could not give a code to are logged and answered generically. Stack traces are not part of the
 * answer unless Apollo's `includeStacktraceInErrorResponses` (a development flag) adds them.
 */
export function formatGraphqlError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const cause = rootCause(error);
  const onPurpose = cause instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR';
  if (onPurpose && !isDomainError(cause)) return formatted;
  const mapped = toGraphqlError(cause);
  const stacktrace = formatted.extensions?.stacktrace;
  return {
    ...formatted,
    message: mapped.message,
    extensions: { ...mapped.extensions, ...(stacktrace ? { stacktrace } : {}) },
  };
}
