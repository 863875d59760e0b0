// The one place the UI reads a failed request: the API's typed errors (GraphQL `extensions.code`; the
// /auth REST `{ error: { code, message } }` with its HTTP status) become an `ErrorKind`, and
// `errorMessage` says each kind to the user.

/** What went wrong, whatever the transport; the backend's error kinds plus `server` and `network`. */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'csrf'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'provider'
  /** The server failed (5xx, INTERNAL_SERVER_ERROR). */
  | 'server'
  /** The server could not be reached. */
  | 'network';

/** A GraphQL request that failed: an HTTP error or `errors` in the answer. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** The `extensions.code` of each GraphQL error, e.g. `UNAUTHENTICATED`. */
    readonly codes: readonly string[] = [],
    /** The `extensions.reason` of each GraphQL error, e.g. `last_owner`. */
    readonly reasons: readonly string[] = [],
    /** `extensions.suggestions` (`model_not_found`: the catalog's closest models), best first. */
    readonly suggestions: readonly string[] = [],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

/** An /auth request the server refused; `code` is the server's (`weak_password`, `unauthenticated`…). */
export class AuthRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** From `retry-after` on a 429. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'AuthRequestError';
  }
}

/** The request never got an answer (offline, connection refused, DNS). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('The Sightline server could not be reached. Check the connection and retry.', { cause });
    this.name = 'NetworkError';
  }
}

/** `doFetch(input, init)` with a failure to reach the server as a NetworkError; an abort stays one. */
export async function fetchOrNetworkError(
  doFetch: typeof fetch,
  input: string,
  init: RequestInit,
): Promise<Response> {
  try {
    return await doFetch(input, init);
  } catch (cause) {
    if (init.signal?.aborted) throw cause;
    throw new NetworkError(cause);
  }
}

/** GraphQL `extensions.code` → kind (backend/src/graphql/graphql-errors.ts). */
const GRAPHQL_CODES: Readonly<Record<string, ErrorKind>> = {
  BAD_USER_INPUT: 'invalid',
  QUERY_TOO_COMPLEX: 'invalid',
  UNAUTHENTICATED: 'unauthenticated',
  CSRF: 'csrf',
  FORBIDDEN: 'forbidden',
  NOT_FOUND: 'not_found',
  CONFLICT: 'conflict',
  TOO_MANY_REQUESTS: 'rate_limited',
  PROVIDER_ERROR: 'provider',
  INTERNAL_SERVER_ERROR: 'server',
};

/** HTTP status → kind (backend/src/common/rest-errors.ts), for answers without a GraphQL code. */
function kindOfStatus(status: number | undefined): ErrorKind | null {
  if (status === undefined) return null;
  if (status >= 500) return 'server';
  const kinds: Record<number, ErrorKind> = {
    400: 'invalid',
    401: 'unauthenticated',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'invalid',
    429: 'rate_limited',
  };
  return kinds[status] ?? null;
}

/** The kind of the first coded error among raw GraphQL errors (e.g. a subscription's `errors`). */
function kindOfGraphqlErrors(errors: readonly unknown[]): ErrorKind | null {
  for (const error of errors) {
    const code =
      error && typeof error === 'object' && 'extensions' in error
        ? (error.extensions as { code?: unknown } | undefined)?.code
        : undefined;
    if (typeof code === 'string' && GRAPHQL_CODES[code]) return GRAPHQL_CODES[code];
  }
  return null;
}

/** What kind of failure `error` is; null for one the API did not classify (a bug, a closed socket). */
export function errorKind(error: unknown): ErrorKind | null {
  if (error instanceof NetworkError) return 'network';
  if (error instanceof GraphQLRequestError) {
    if (error.status === 401) return 'unauthenticated';
    return (
      error.codes.map((code) => GRAPHQL_CODES[code]).find((kind) => !!kind) ?? kindOfStatus(error.status)
    );
  }
  if (error instanceof AuthRequestError) return error.code === 'csrf' ? 'csrf' : kindOfStatus(error.status);
  if (Array.isArray(error)) return kindOfGraphqlErrors(error);
  return null;
}

/** Nobody is signed in (any more): the sign-in guard sends the browser to /login. */
export const isUnauthenticated = (error: unknown): boolean => errorKind(error) === 'unauthenticated';

/** The caller sees the project, but their role there does not allow this. */
export const isForbidden = (error: unknown): boolean => errorKind(error) === 'forbidden';

/** The server's own words, or a description of something that is not an API error. */
function serverWords(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (Array.isArray(error)) return error.map(serverWords).join('; ');
  if (error && typeof error === 'object') {
    if ('message' in error && typeof error.message === 'string') return error.message;
    // A CloseEvent-like object from the socket.
    if ('code' in error && 'reason' in error) {
      return `connection closed (${String(error.code)}${error.reason ? `: ${String(error.reason)}` : ''})`;
    }
  }
  return String(error);
}

/**
 * What to tell the user about `error`. The API's messages of its typed errors (input, access, missing
 * things, conflicts with the current state, rate limits) are written for people and shown as they
 * are; a CSRF refusal and server failures are said here.
 */
export function errorMessage(error: unknown): string {
  const kind = errorKind(error);
  switch (kind) {
    case 'csrf':
      return 'This page is out of date with your session. Reload it and try again.';
    case 'server': {
      const status =
        error instanceof GraphQLRequestError || error instanceof AuthRequestError ? error.status : 0;
      const http = status && status >= 500 ? ` (HTTP ${status})` : '';
      return `Something went wrong on the server${http}. Try again in a moment.`;
    }
    case 'invalid':
    case 'unauthenticated':
    case 'forbidden':
    case 'not_found':
    case 'conflict':
    case 'rate_limited':
    case 'provider':
    case 'network':
    case null:
      return serverWords(error);
    default:
      return assertNever(kind);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected error kind: ${String(value)}`);
}
