import { afterEach, describe, expect, it } from 'vitest';
import { setUnauthenticatedHandler } from '../auth/unauthenticated';
import { GraphQLRequestError, isForbidden, isUnauthenticated, NetworkError } from '../errors';
import { graphqlRequest, graphqlWsUrl, readCookie } from './client';
import { RecentGenerationsDocument } from './generated';

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

describe('graphqlWsUrl', () => {
  it('uses ws: for http: pages and wss: for https: pages, same host', () => {
    expect(graphqlWsUrl({ protocol: 'http:', host: '127.0.0.1:3000' })).toBe('ws://127.0.0.1:3000/graphql');
    expect(graphqlWsUrl({ protocol: 'https:', host: 'obs.example' })).toBe('wss://obs.example/graphql');
  });
});

describe('readCookie', () => {
  it('finds a cookie by exact name and decodes it', () => {
    expect(readCookie('x_sl_csrf=no; sl_csrf=yes', 'sl_csrf')).toBe('yes');
    expect(readCookie('sl_csrf=a%20b', 'sl_csrf')).toBe('a b');
    expect(readCookie('sl_csrf=%E0%A4%A', 'sl_csrf')).toBe('%E0%A4%A');
    expect(readCookie('', 'sl_csrf')).toBeUndefined();
  });
});

describe('graphqlRequest', () => {
  it('POSTs the operation text and variables and returns data', async () => {
    const data = { generations: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } };
    const { fetch, calls } = fakeFetch(200, { data });
    await expect(graphqlRequest(RecentGenerationsDocument, { first: 5 }, { fetch })).resolves.toEqual(data);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('/graphql');
    expect(calls[0]!.init.method).toBe('POST');
    const body = JSON.parse(String(calls[0]!.init.body)) as { query: string; variables: unknown };
    expect(body.variables).toEqual({ first: 5 });
    expect(body.query).toContain('query RecentGenerations');
    expect(body.query).toContain('fragment GenerationRow on Generation');
  });

  it('echoes the sl_csrf cookie in x-csrf-token, and sends none without it', async () => {
    const { fetch, calls } = fakeFetch(200, { data: {} });
    await graphqlRequest(RecentGenerationsDocument, {}, { fetch, cookies: 'a=1; sl_csrf=tok%2Ben; b=2' });
    await graphqlRequest(RecentGenerationsDocument, {}, { fetch, cookies: 'a=1' });
    const headers = calls.map((call) => call.init.headers as Record<string, string>);
    expect(headers[0]!['x-csrf-token']).toBe('tok+en');
    expect(headers[1]!).not.toHaveProperty('x-csrf-token');
  });

  it('throws the GraphQL error messages', async () => {
    const { fetch } = fakeFetch(200, { data: null, errors: [{ message: 'no' }, { message: 'never' }] });
    await expect(graphqlRequest(RecentGenerationsDocument, {}, { fetch })).rejects.toThrow('no; never');
  });

  it('keeps the error codes and recognises UNAUTHENTICATED', async () => {
    const { fetch } = fakeFetch(200, {
      data: null,
      errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    const error = await graphqlRequest(RecentGenerationsDocument, {}, { fetch }).catch((e: unknown) => e);
    expect((error as GraphQLRequestError).codes).toEqual(['UNAUTHENTICATED']);
    expect(isUnauthenticated(error)).toBe(true);
    expect(isUnauthenticated(new GraphQLRequestError('nope', 200, ['NOT_FOUND']))).toBe(false);
    expect(isUnauthenticated(new Error('Authentication required'))).toBe(false);
  });

  it('throws on an HTTP error without a GraphQL body', async () => {
    const { fetch } = fakeFetch(502, '<html>bad gateway</html>');
    const error = await graphqlRequest(RecentGenerationsDocument, {}, { fetch }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect((error as GraphQLRequestError).status).toBe(502);
    expect((error as Error).message).toBe('GraphQL request failed: HTTP 502');
  });

  it('throws a NetworkError when the server cannot be reached, and an abort as it is', async () => {
    const refused = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof globalThis.fetch;
    const error = await graphqlRequest(RecentGenerationsDocument, {}, { fetch: refused }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    const controller = new AbortController();
    controller.abort();
    const aborted = (async () => {
      throw new DOMException('aborted', 'AbortError');
    }) as unknown as typeof globalThis.fetch;
    const abort = await graphqlRequest(
      RecentGenerationsDocument,
      {},
      { fetch: aborted, signal: controller.signal },
    ).catch((e: unknown) => e);
    expect((abort as Error).name).toBe('AbortError');
  });
});

describe('error codes', () => {
  let unregister = () => {};
  afterEach(() => unregister());

  it('keeps BAD_USER_INPUT reasons and recognises FORBIDDEN', async () => {
    const { fetch } = fakeFetch(200, {
      data: null,
      errors: [
        {
          message: 'A project keeps at least one owner.',
          extensions: { code: 'BAD_USER_INPUT', reason: 'last_owner' },
        },
      ],
    });
    const error = (await graphqlRequest(RecentGenerationsDocument, {}, { fetch }).catch(
      (e: unknown) => e,
    )) as GraphQLRequestError;
    expect(error.codes).toEqual(['BAD_USER_INPUT']);
    expect(error.reasons).toEqual(['last_owner']);
    expect(isForbidden(error)).toBe(false);
    expect(isForbidden(new GraphQLRequestError('no', 200, ['FORBIDDEN']))).toBe(true);
  });

  it('keeps the closest models a model_not_found error suggests', async () => {
    const { fetch } = fakeFetch(200, {
      data: null,
      errors: [
        {
          message: "No provider serves the model 'gpt-4-ft'.",
          extensions: {
            code: 'BAD_USER_INPUT',
            reason: 'model_not_found',
            suggestions: ['gpt-4o', 7, 'gpt-4'],
          },
        },
      ],
    });
    const error = (await graphqlRequest(RecentGenerationsDocument, {}, { fetch }).catch(
      (e: unknown) => e,
    )) as GraphQLRequestError;
    expect(error.suggestions).toEqual(['gpt-4o', 'gpt-4']);
  });

  it('reports UNAUTHENTICATED (and HTTP 401) to the sign-in guard, and nothing else', async () => {
    let reports = 0;
    unregister = setUnauthenticatedHandler(() => reports++);
    const unauthenticated = fakeFetch(200, {
      errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    await expect(
      graphqlRequest(RecentGenerationsDocument, {}, { fetch: unauthenticated.fetch }),
    ).rejects.toThrow();
    await expect(
      graphqlRequest(RecentGenerationsDocument, {}, { fetch: fakeFetch(401, 'nope').fetch }),
    ).rejects.toThrow();
    expect(reports).toBe(2);
    const forbidden = fakeFetch(200, { errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] });
    await expect(graphqlRequest(RecentGenerationsDocument, {}, { fetch: forbidden.fetch })).rejects.toThrow();
    expect(reports).toBe(2);
  });
});
