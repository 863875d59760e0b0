import { afterEach, describe, expect, it } from 'vitest';
import { AuthRequestError } from '../errors';
import { acceptInvite, fetchInvite, fetchSession, login, logout, parseRetryAfter, setPassword } from './api';
import { setUnauthenticatedHandler } from './unauthenticated';

interface Call {
  url: string;
  init: RequestInit;
}

function fakeFetch(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const user = { id: 'usr_1', email: 'a@b.c', name: 'A' };
let unregister = () => {};
afterEach(() => unregister());

function countReports() {
  const seen = { count: 0 };
  unregister = setUnauthenticatedHandler(() => seen.count++);
  return seen;
}

describe('parseRetryAfter', () => {
  it('reads seconds or an HTTP date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(' 12 ')).toBe(12);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('login', () => {
  it('POSTs the credentials as JSON and returns the session', async () => {
    const { fetch, calls } = fakeFetch(200, { user, csrfToken: 't' });
    await expect(login('a@b.c', 'pw', { fetch, cookies: '' })).resolves.toEqual({ user, csrfToken: 't' });
    expect(calls[0]!.url).toBe('/auth/login');
    expect(calls[0]!.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ email: 'a@b.c', password: 'pw' });
  });

  it("shows the server's message on 401, without reporting an expired session", async () => {
    const reports = countReports();
    const { fetch } = fakeFetch(401, {
      error: { message: 'Wrong email or password', code: 'unauthenticated' },
    });
    const error = await login('a@b.c', 'nope', { fetch, cookies: '' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRequestError);
    expect((error as AuthRequestError).message).toBe('Wrong email or password');
    expect((error as AuthRequestError).status).toBe(401);
    expect(reports.count).toBe(0);
  });

  it('turns a 429 into "too many attempts, retry in N s"', async () => {
    const { fetch } = fakeFetch(
      429,
      { error: { message: 'Too many requests; retry in 8 s', code: 'too_many_requests' } },
      { 'retry-after': '8' },
    );
    const error = (await login('a@b.c', 'x', { fetch, cookies: '' }).catch(
      (e: unknown) => e,
    )) as AuthRequestError;
    expect(error.message).toBe('Too many attempts, retry in 8 s.');
    expect(error.retryAfterSeconds).toBe(8);
  });
});

describe('session requests', () => {
  it('answers null for nobody signed in', async () => {
    const reports = countReports();
    const { fetch } = fakeFetch(401, {
      error: { message: 'Authentication required', code: 'unauthenticated' },
    });
    await expect(fetchSession({ fetch })).resolves.toBeNull();
    expect(reports.count).toBe(0);
  });

  it('echoes the CSRF cookie on writes and reports an expired session', async () => {
    const reports = countReports();
    const { fetch, calls } = fakeFetch(401, { error: { message: 'Authentication required', code: 'x' } });
    await expect(setPassword('long enough pw', { fetch, cookies: 'sl_csrf=abc' })).rejects.toThrow(
      'Authentication required',
    );
    expect((calls[0]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('abc');
    expect(reports.count).toBe(1);
  });

  it('accepts 204 without a body', async () => {
    const { fetch, calls } = fakeFetch(204);
    await expect(logout({ fetch, cookies: 'sl_csrf=abc' })).resolves.toBeUndefined();
    await expect(setPassword('long enough pw', { fetch, cookies: '' })).resolves.toBeUndefined();
    expect(calls.map((c) => c.url)).toEqual(['/auth/logout', '/auth/password']);
  });

  it("keeps the server's code of a refused password", async () => {
    const { fetch } = fakeFetch(400, {
      error: { message: 'Passwords need at least 10 characters.', code: 'weak_password' },
    });
    const error = (await setPassword('short', { fetch, cookies: '' }).catch(
      (e: unknown) => e,
    )) as AuthRequestError;
    expect(error.code).toBe('weak_password');
    expect(error.message).toBe('Passwords need at least 10 characters.');
  });

  it('falls back to the HTTP status when the body is not JSON', async () => {
    const fetch = (async () => new Response('<html>', { status: 502 })) as unknown as typeof globalThis.fetch;
    await expect(fetchSession({ fetch })).rejects.toThrow('Request failed (HTTP 502)');
  });
});

describe('invites', () => {
  it('escapes the token and sends the account, or {} when signed in', async () => {
    const { fetch, calls } = fakeFetch(200, { user, csrfToken: 't', projectId: 'prj_1' });
    await fetchInvite('inv_a/b', { fetch });
    await acceptInvite('inv_a', { email: 'a@b.c', name: 'A', password: 'pw' }, { fetch, cookies: '' });
    await acceptInvite('inv_a', null, { fetch, cookies: '' });
    expect(calls.map((c) => [c.url, c.init.method])).toEqual([
      ['/auth/invites/inv_a%2Fb', 'GET'],
      ['/auth/invites/inv_a/accept', 'POST'],
      ['/auth/invites/inv_a/accept', 'POST'],
    ]);
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ email: 'a@b.c', name: 'A', password: 'pw' });
    expect(JSON.parse(String(calls[2]!.init.body))).toEqual({});
  });
});
