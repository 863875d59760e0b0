import { randomUUID } from 'node:crypto';
import type { Credential } from './client';
import {
  CREDENTIAL_NAMES,
  endedSessionA,
  forgedKey,
  forgedSession,
  keyA,
  none,
  revokedKeyA,
  sessionA,
  unknownKey,
  viewerA,
} from './common';
import type { Fn, Row, RowKind } from './table';
import { recorded } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const onProject = (projectId: string) => ({ 'x-sightline-project-id': projectId });

const DENIED: [Fn<Credential>, RowKind][] = [
  [none, 'unauthenticated'],
  [unknownKey, 'unauthenticated'],
  [forgedKey, 'cross-project'],
  [forgedSession, 'cross-project'],
  [revokedKeyA, 'revoked'],
  [endedSessionA, 'revoked'],
];

/** The same isolation rows for each OpenAI-format gateway endpoint besides chat completions. */
function rowsFor(route: string, body: () => unknown): Row[] {
  return [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${route} into B's project (x-sightline-project-id) as ${name(as)}`,
      kind: 'cross-project',
      call: { http: 'POST', route, as, body, headers: (_w, t) => onProject(t.projectId) },
      expect: { status: 404, code: 'project_not_found' },
    })),
    ...DENIED.map(([as, kind]): Row => ({
      name: `${route} into B's project with ${name(as)}`,
      kind,
      call: { http: 'POST', route, as, body, headers: (_w, t) => onProject(t.projectId) },
      expect: { status: 401, code: 'invalid_api_key' },
    })),
    {
      name: `${route} into A's project as A's viewer: viewers do not send`,
      kind: 'role',
      call: { http: 'POST', route, as: viewerA, body, headers: (w) => onProject(w.alpha.projectId) },
      expect: { status: 403, code: 'forbidden' },
    },
    {
      name: `${route} as A's API key records into A`,
      kind: 'positive',
      call: { http: 'POST', route, as: keyA, body },
      expect: { status: 200 },
      verify: async (w, o) => {
        const node = await recorded(w.base, w.alpha.key, o.headers!['x-sightline-span-id']);
        expect(node.node.projectId).toBe(w.alpha.projectId);
      },
    },
  ];
}

/** `POST /v1/responses` and `POST /v1/embeddings`. */
export const openAiEndpointRows: Row[] = [
  ...rowsFor('/v1/responses', () => ({ model: 'mock-1', input: `intruder ${randomUUID()}` })),
  ...rowsFor('/v1/embeddings', () => ({ model: 'mock-1', input: `intruder ${randomUUID()}` })),
];
