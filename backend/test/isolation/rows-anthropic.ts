import { randomUUID } from 'node:crypto';
import { withoutCsrf, type Credential } from './client';
import { CREDENTIAL_NAMES, keyA, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';

/** `POST /v1/messages` and `POST /v1/messages/count_tokens`: Anthropic's API, answered in its error shape. */
const ROUTES = ['/v1/messages', '/v1/messages/count_tokens'];

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const messagesBody = () => ({
  model: 'mock-1',
  max_tokens: 50,
  messages: [{ role: 'user', content: `intruder ${randomUUID()}` }],
});
const onProject = (projectId: string) => ({ 'x-sightline-project-id': projectId });

const rowsFor = (route: string): Row[] => [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `${route} into B's project (x-sightline-project-id) as ${name(as)}`,
    kind: 'cross-project',
    call: { http: 'POST', route, as, body: messagesBody, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 404 },
  })),
  {
    name: `${route} into B's project with A's key in x-api-key`,
    kind: 'cross-project',
    call: {
      http: 'POST',
      route,
      as: (w) => ({ kind: 'key', key: w.alpha.apiKey, header: 'x-api-key' }),
      body: messagesBody,
      headers: (_w, t) => onProject(t.projectId),
    },
    expect: { status: 404 },
  },
  ...DENIED.map(([as, kind]): Row => ({
    name: `${route} into B's project with ${name(as)}`,
    kind,
    call: { http: 'POST', route, as, body: messagesBody, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 401 },
  })),
  {
    name: `${route} into A's project as A's viewer: viewers do not send`,
    kind: 'role',
    call: {
      http: 'POST',
      route,
      as: viewerA,
      body: messagesBody,
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 403 },
  },
  {
    name: `${route} into A's project as A's owner session without the CSRF header`,
    kind: 'csrf',
    call: {
      http: 'POST',
      route,
      as: (w) => withoutCsrf(w.alpha.session),
      body: messagesBody,
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: [401, 403] },
  },
  {
    name: `${route} as A's API key in x-api-key works on A`,
    kind: 'positive',
    call: {
      http: 'POST',
      route,
      as: (w) => ({ kind: 'key', key: w.alpha.apiKey, header: 'x-api-key' }),
      body: () => ({ ...messagesBody(), messages: [{ role: 'user', content: 'alpha positive' }] }),
    },
    expect: { status: 200 },
  },
];

export const anthropicRows: Row[] = ROUTES.flatMap(rowsFor);
