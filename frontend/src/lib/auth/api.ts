// The backend's /auth REST endpoints (backend/src/auth/auth.controller.ts): session, password login,
// logout, password change and invites. Writes with a session echo the sl_csrf cookie.
import { AuthRequestError, fetchOrNetworkError, isUnauthenticated } from '../errors';
import { CSRF_COOKIE, CSRF_HEADER, readCookie } from '../graphql/client';
import { reportUnauthenticated } from './unauthenticated';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
}

export interface SessionInfo {
  user: SessionUser;
  csrfToken: string;
}

export interface InviteInfo {
  projectName: string;
  /** Lower case on the wire (`viewer`); see `parseRole` in `roles.ts`. */
  role: string;
  /** Set when the invite is for one address: the sign-up form locks it. */
  email: string | null;
}

export interface AcceptedInvite extends SessionInfo {
  projectId: string;
}

export interface AuthRequestOptions {
  fetch?: typeof fetch;
  /** `document.cookie` by default. */
  cookies?: string;
  /**
   * Report a 401 to the sign-in guard (default). Off where a 401 is an answer, not an expired
   * session: a wrong password, or asking whether anyone is signed in.
   */
  guard?: boolean;
}

/** Whole seconds from a `retry-after` header (seconds or an HTTP date); null when absent or bad. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000));
}

async function request<T>(
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  options: AuthRequestOptions,
): Promise<T> {
  const doFetch = options.fetch ?? fetch;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') {
    const csrf = readCookie(
      options.cookies ?? (typeof document === 'undefined' ? '' : document.cookie),
      CSRF_COOKIE,
    );
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  const response = await fetchOrNetworkError(doFetch, path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (response.ok) return json as T;

  const error = (json as { error?: { message?: unknown; code?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : `http_${response.status}`;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  let message =
    typeof error?.message === 'string' ? error.message : `Request failed (HTTP ${response.status})`;
  if (response.status === 429) {
    message =
      retryAfter === null
        ? 'Too many attempts, try again later.'
        : `Too many attempts, retry in ${retryAfter} s.`;
  }
  if (response.status === 401 && options.guard !== false) reportUnauthenticated();
  throw new AuthRequestError(message, response.status, code, retryAfter);
}

/** The signed-in user, or null when nobody is (401). */
export async function fetchSession(options: AuthRequestOptions = {}): Promise<SessionInfo | null> {
  try {
    return await request<SessionInfo>('GET', '/auth/session', undefined, { ...options, guard: false });
  } catch (error) {
    if (isUnauthenticated(error)) return null;
    throw error;
  }
}

/** Signs in; sets the session cookies. A wrong password rejects with status 401, a lockout with 429. */
export function login(
  email: string,
  password: string,
  options: AuthRequestOptions = {},
): Promise<SessionInfo> {
  return request('POST', '/auth/login', { email, password }, { ...options, guard: false });
}

export async function logout(options: AuthRequestOptions = {}): Promise<void> {
  await request('POST', '/auth/logout', undefined, { ...options, guard: false });
}

/** Sets or changes the signed-in user's password (at least 10 characters, else `weak_password`). */
export async function setPassword(password: string, options: AuthRequestOptions = {}): Promise<void> {
  await request('POST', '/auth/password', { password }, options);
}

const invitePath = (token: string) => `/auth/invites/${encodeURIComponent(token)}`;

export function fetchInvite(token: string, options: AuthRequestOptions = {}): Promise<InviteInfo> {
  return request('GET', invitePath(token), undefined, { ...options, guard: false });
}

/** Accepts as the signed-in user (no account fields) or signs up with `account`; sets the session. */
export function acceptInvite(
  token: string,
  account: { email: string; name: string; password: string } | null,
  options: AuthRequestOptions = {},
): Promise<AcceptedInvite> {
  return request('POST', `${invitePath(token)}/accept`, account ?? {}, { ...options, guard: false });
}
