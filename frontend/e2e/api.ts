// Plain HTTP helpers of the browser tests (no browser, no vitest): cookies of /auth answers,
// GraphQL as a signed-in user, gateway requests with an API key. Used by the global setup too.

/** A cookie in the shape of playwright's `BrowserContext.addCookies`. */
export interface SessionCookie {
  name: string;
  value: string;
  url: string;
  httpOnly: boolean;
  sameSite: 'Strict' | 'Lax' | 'None';
}

/** The cookies a response sets, for a browser (`addCookies`) or a `cookie` header (`cookieHeader`). */
export function responseCookies(response: Response, baseUrl: string): SessionCookie[] {
  return response.headers.getSetCookie().map((header): SessionCookie => {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const attribute = (name: string) =>
      attributes
        .find((a) => a.toLowerCase().startsWith(name))
        ?.split('=')[1]
        ?.toLowerCase();
    const sameSite = attribute('samesite');
    return {
      name: pair.slice(0, eq),
      value: pair.slice(eq + 1),
      url: baseUrl,
      httpOnly: attributes.some((a) => a.toLowerCase() === 'httponly'),
      sameSite: sameSite === 'strict' ? 'Strict' : sameSite === 'none' ? 'None' : 'Lax',
    };
  });
}

export function cookieHeader(cookies: readonly SessionCookie[]): string {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Signs in with a password (POST /auth/login); a fresh session of its own. */
export async function passwordSession(
  baseUrl: string,
  email: string,
  password: string,
): Promise<SessionCookie[]> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) {
    throw new Error(`POST /auth/login as ${email} answered ${response.status}: ${await response.text()}`);
  }
  return responseCookies(response, baseUrl);
}

/** A GraphQL operation as the session of `cookies` (with its CSRF token); throws on any error. */
export async function graphqlAs<T>(
  baseUrl: string,
  cookies: readonly SessionCookie[],
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: cookieHeader(cookies),
      'x-csrf-token': cookies.find((c) => c.name === 'sl_csrf')?.value ?? '',
    },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T; errors?: unknown[] };
  if (!response.ok || body.errors?.length || !body.data) {
    throw new Error(`GraphQL ${query.slice(0, 60)}… answered ${response.status}: ${text}`);
  }
  return body.data;
}

/** POST /v1/chat/completions with `apiKey` to the offline mock model. */
export function chatCompletion(
  baseUrl: string,
  apiKey: string | null,
  body: Record<string, unknown> = {
    model: 'mock-1',
    messages: [{ role: 'user', content: 'hello from the browser tests' }],
  },
): Promise<Response> {
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify(body),
  });
}

/** A new member of `projectId`, signed up through an invite over the API; their session's cookies. */
export async function invitedMember(
  baseUrl: string,
  owner: readonly SessionCookie[],
  projectId: string,
  role: 'ADMIN' | 'MEMBER' | 'VIEWER',
): Promise<{ email: string; cookies: SessionCookie[] }> {
  const email = `${unique('member').replace(' ', '-')}@example.test`;
  const { createInvite } = await graphqlAs<{ createInvite: { url: string } }>(
    baseUrl,
    owner,
    'mutation($p: ID!, $r: Role!) { createInvite(projectId: $p, role: $r) { url } }',
    { p: projectId, r: role },
  );
  const token = new URL(createInvite.url).pathname.split('/').pop()!;
  const response = await fetch(`${baseUrl}/auth/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: 'E2E Member', password: 'member e2e password' }),
  });
  if (response.status !== 200)
    throw new Error(`accepting the invite answered ${response.status}: ${await response.text()}`);
  return { email, cookies: responseCookies(response, baseUrl) };
}

/** A short random suffix that keeps names of different tests and runs apart. */
export function unique(prefix: string): string {
  return `${prefix} ${Math.random().toString(36).slice(2, 8)}`;
}
