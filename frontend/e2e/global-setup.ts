// Starts the real backend (`node backend/dist/main.js`) on a free port with a fresh DATA_DIR and the
// built UI, waits for /healthz, hands its URL to the browser tests, and stops it afterwards. It also
// reads the first-start output (admin sign-in link, API key), follows the link, and signs up an owner
// of the default project with a password, so that tests do not share the admin's one-time session.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { graphqlAs, responseCookies, type SessionCookie } from './api';
import { backendMain, chromiumPath, repoRoot, requireFile, resultsDir, uiDir } from './paths';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the backend under test. */
    baseUrl: string;
    /** The first-start API key of the default project (`Authorization: Bearer …`); null if none was printed. */
    apiKey: string | null;
    /** The default project (the API key's): its id and name. */
    projectId: string;
    projectName: string;
    /** The first-start admin's email (`sign in as …` in the first-start output). */
    adminEmail: string;
    /**
     * The admin's session from the one-time first-start link, and where that link redirected
     * (`/account?setPassword=1`). Only the sign-in test uses it: it signs this session out.
     */
    adminLinkCookies: SessionCookie[];
    adminLinkRedirect: string;
    /**
     * An owner of the default project, signed up by the setup through an invite, with a password, so
     * that every test file can use its own session (`passwordSession`) or the shared `ownerCookies`.
     */
    owner: { email: string; password: string };
    ownerCookies: SessionCookie[];
  }
}

const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 256 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Keeps the last LOG_LIMIT characters of a stream. */
function tail(stream: NodeJS.ReadableStream | null) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    text = (text + chunk).slice(-LOG_LIMIT);
  });
  return () => text;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited(child);
  clearTimeout(timer);
}

async function waitForHealth(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `the backend exited (code ${child.exitCode}, signal ${child.signalCode}) before /healthz answered`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`;
    } catch (error) {
      last =
        error instanceof Error
          ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}`
          : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `GET ${baseUrl}/healthz did not return 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`,
  );
}

/**
 * An empty instance prints, once, a one-time login link for the admin and the first API key
 * (backend/src/auth/bootstrap.service.ts). Waits briefly for them; an instance without auth prints
 * neither.
 */
async function firstStartCredentials(
  stdout: () => string,
): Promise<{ loginPath: string | null; apiKey: string | null; email: string | null }> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = stdout();
    const signIn = /sign in as (\S+) .*?: (\S+\/auth\/link\/\S+)/.exec(text);
    const link = signIn?.[2];
    const apiKey = /API key for ".*?": (\S+)/.exec(text)?.[1] ?? null;
    if ((link && apiKey) || Date.now() > deadline || /listening on/.test(text)) {
      return { loginPath: link ? new URL(link).pathname : null, apiKey, email: signIn?.[1] ?? null };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Follows the login link without a browser and keeps the cookies it sets and where it redirects. */
async function signIn(
  baseUrl: string,
  loginPath: string,
): Promise<{ cookies: SessionCookie[]; redirect: string }> {
  const response = await fetch(`${baseUrl}${loginPath}`, { redirect: 'manual' });
  const cookies = responseCookies(response, baseUrl);
  if (response.status >= 400 || cookies.length === 0) {
    throw new Error(
      `GET ${loginPath} (the first-start login link) answered ${response.status} ` +
        `with ${cookies.length} cookies: ${(await response.text()).slice(0, 300)}`,
    );
  }
  return { cookies, redirect: response.headers.get('location') ?? '' };
}

const OWNER = { email: 'e2e-owner@sightline.test', name: 'E2E Owner', password: 'e2e-owner-password' };

/**
 * The default project, and an owner of it with a password: the admin invites them, they sign up
 * through the invite (the same REST calls as the invite page).
 */
async function fixtureOwner(baseUrl: string, admin: SessionCookie[]) {
  const { viewer } = await graphqlAs<{ viewer: { projects: { id: string; name: string }[] } }>(
    baseUrl,
    admin,
    '{ viewer { projects { id name } } }',
  );
  const project = viewer.projects[0];
  if (!project) throw new Error('the first-start admin has no project');
  const { createInvite } = await graphqlAs<{ createInvite: { url: string } }>(
    baseUrl,
    admin,
    'mutation($p: ID!, $e: String) { createInvite(projectId: $p, role: OWNER, email: $e) { url } }',
    { p: project.id, e: OWNER.email },
  );
  const token = new URL(createInvite.url).pathname.split('/').pop()!;
  const response = await fetch(`${baseUrl}/auth/invites/${token}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (response.status !== 200) {
    throw new Error(
      `accepting the fixture owner's invite answered ${response.status}: ${await response.text()}`,
    );
  }
  return { project, cookies: responseCookies(response, baseUrl) };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  requireFile(
    backendMain,
    'build the backend first (`npm run build -w backend`, or `npm run build` at the root)',
  );
  requireFile(path.join(uiDir, 'index.html'), 'build the UI first (`npm run build -w frontend`)');
  requireFile(chromiumPath, 'install Debian Chromium (`apt-get install -y chromium`) or set CHROMIUM_PATH');

  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sightline-e2e-data-'));
  const baseUrl = `http://127.0.0.1:${port}`;

  const child = spawn(process.execPath, [backendMain], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      SIGHTLINE_UI_DIR: uiDir,
      // Links the backend prints and hands out (first start, invites) must point at this origin.
      PUBLIC_URL: baseUrl,
      // Every browser of the suite shares 127.0.0.1: one per-IP API budget.
      API_RATE_LIMIT_RPS: '10000',
      // Refused gateway requests are counted for 200 ms before they are recorded (10 s by default).
      GATEWAY_REFUSAL_WINDOW_MS: '200',
      // Restatements re-price 500 generations a second: one over a few thousand runs long enough for
      // its Cancel button to be pressed while it runs (restatements.e2e.ts).
      RESTATEMENT_MAX_GENERATIONS_PER_SECOND: '500',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = tail(child.stdout);
  const stderr = tail(child.stderr);

  const saveLog = async () => {
    await mkdir(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'backend.log');
    await writeFile(file, `--- stdout ---\n${stdout()}\n--- stderr ---\n${stderr()}\n`);
    return file;
  };

  try {
    await waitForHealth(baseUrl, child);
  } catch (error) {
    await stop(child);
    const log = await saveLog();
    await rm(dataDir, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not start the backend for the browser tests: ${message}\n` +
        `command: PORT=${port} DATA_DIR=${dataDir} SIGHTLINE_UI_DIR=${uiDir} node ${path.relative(repoRoot, backendMain)}\n` +
        `--- backend stderr (tail) ---\n${stderr().slice(-8_000) || '(empty)'}\n` +
        `--- backend stdout (tail) ---\n${stdout().slice(-4_000) || '(empty)'}\n` +
        `(full log: ${log})`,
    );
  }

  try {
    const credentials = await firstStartCredentials(stdout);
    if (!credentials.loginPath || !credentials.email) {
      throw new Error(
        'the backend printed no first-start sign-in link (is DATA_DIR fresh?):\n' + stdout().slice(-2_000),
      );
    }
    const admin = await signIn(baseUrl, credentials.loginPath);
    const owner = await fixtureOwner(baseUrl, admin.cookies);
    project.provide('apiKey', credentials.apiKey);
    project.provide('adminEmail', credentials.email);
    project.provide('adminLinkCookies', admin.cookies);
    project.provide('adminLinkRedirect', admin.redirect);
    project.provide('projectId', owner.project.id);
    project.provide('projectName', owner.project.name);
    project.provide('owner', { email: OWNER.email, password: OWNER.password });
    project.provide('ownerCookies', owner.cookies);
  } catch (error) {
    await stop(child);
    await saveLog();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  project.provide('baseUrl', baseUrl);

  return async () => {
    await stop(child);
    // The backend's output stays in test-results/backend.log for inspection.
    await saveLog().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };
}
