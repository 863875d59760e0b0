import { reportUnauthenticated } from '../auth/unauthenticated';
import { fetchOrNetworkError, GraphQLRequestError, isUnauthenticated } from '../errors';
import type { TypedDocumentString } from './generated';

/** The GraphQL endpoint, same origin as the UI (the backend serves both; Vite proxies it in dev). */
export const GRAPHQL_PATH = '/graphql';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: readonly {
    message: string;
    extensions?: { code?: unknown; reason?: unknown; suggestions?: unknown };
  }[];
}

/** The cookie the backend sets beside the session cookie, echoed in a header on writes (double submit). */
export const CSRF_COOKIE = 'sl_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of cookie `name` in a `document.cookie` string. */
export function readCookie(cookies: string, name: string): string | undefined {
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return undefined;
}

/** `ws://host/graphql` for `http:` pages, `wss://host/graphql` for `https:` ones. */
export function graphqlWsUrl(location: Pick<Location, 'protocol' | 'host'>, path = GRAPHQL_PATH): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}${path}`;
}

/**
 * Runs a query or mutation with a plain `fetch` POST (GraphQL over HTTP). An UNAUTHENTICATED answer
 * (the session expired or ended) is also reported to the app's sign-in guard (`auth/unauthenticated`),
 * which sends the browser to the login page; the promise rejects either way (see `errors.ts`).
 */
export async function graphqlRequest<TResult, TVariables>(
  operation: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  init: { endpoint?: string; signal?: AbortSignal; fetch?: typeof fetch; cookies?: string } = {},
): Promise<TResult> {
  const doFetch = init.fetch ?? fetch;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  // The session cookie goes along by itself (same origin); a POST with it needs the CSRF token.
  const csrf = readCookie(
    init.cookies ?? (typeof document === 'undefined' ? '' : document.cookie),
    CSRF_COOKIE,
  );
  if (csrf) headers[CSRF_HEADER] = csrf;
  const response = await fetchOrNetworkError(doFetch, init.endpoint ?? GRAPHQL_PATH, {
    method: 'POST',
    headers,
    credentials: 'same-origin',
    body: JSON.stringify({ query: operation.toString(), variables }),
    signal: init.signal,
  });

  let body: GraphQLResponse<TResult> | undefined;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    body = undefined;
  }
  if (body?.errors?.length) {
    const strings = (key: 'code' | 'reason') =>
      body.errors!.flatMap((e) => (typeof e.extensions?.[key] === 'string' ? [e.extensions[key]] : []));
    throw reported(
      new GraphQLRequestError(
        body.errors.map((e) => e.message).join('; '),
        response.status,
        strings('code'),
        strings('reason'),
        body.errors.flatMap((e) =>
          Array.isArray(e.extensions?.suggestions)
            ? e.extensions.suggestions.filter((x): x is string => typeof x === 'string')
            : [],
        ),
      ),
    );
  }
  if (!response.ok) {
    throw reported(
      new GraphQLRequestError(`GraphQL request failed: HTTP ${response.status}`, response.status),
    );
  }
  if (body?.data == null) {
    throw new GraphQLRequestError('GraphQL response has no data', response.status);
  }
  return body.data;
}

function reported(error: GraphQLRequestError): GraphQLRequestError {
  if (isUnauthenticated(error)) reportUnauthenticated();
  return error;
}
