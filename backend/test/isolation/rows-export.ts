import type { Credential } from './client';
import { withoutCsrf } from './client';
import { CREDENTIAL_NAMES, keyA, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const ROUTE = '/api/export/:kind';

/** CSV/JSONL exports: B's rows never leave as A's, whatever A holds; viewers of A may export A. */
export const exportRows: Row[] = [
  ...[keyA, sessionA, viewerA].flatMap((as): Row[] => [
    {
      name: `GET ${ROUTE} of B's traces (projectId) as ${name(as)}`,
      kind: 'cross-project',
      call: { http: 'GET', route: ROUTE, as, path: (_w, t) => `/api/export/traces?projectId=${t.projectId}` },
      expect: { status: 404, code: 'project_not_found' },
    },
    {
      name: `POST ${ROUTE} of B's generations (x-sightline-project-id) as ${name(as)}`,
      kind: 'cross-project',
      call: {
        http: 'POST',
        route: ROUTE,
        as,
        path: () => '/api/export/generations',
        body: () => ({ format: 'jsonl' }),
        headers: (_w, t) => ({ 'x-sightline-project-id': t.projectId }),
      },
      expect: { status: 404, code: 'project_not_found' },
    },
  ]),
  ...DENIED.map(([as, kind]): Row => ({
    name: `GET ${ROUTE} of B's generations with ${name(as)}`,
    kind,
    call: {
      http: 'GET',
      route: ROUTE,
      as,
      path: (_w, t) => `/api/export/generations?projectId=${t.projectId}`,
    },
    expect: { status: 401, code: 'unauthenticated' },
  })),
  {
    name: `POST ${ROUTE} of A's traces as A's owner session without the CSRF header`,
    kind: 'csrf',
    call: {
      http: 'POST',
      route: ROUTE,
      as: (w) => withoutCsrf(w.alpha.session),
      path: () => '/api/export/traces',
      body: (w) => ({ projectId: w.alpha.projectId }),
    },
    expect: { status: 403, code: 'csrf' },
  },
  ...[keyA, viewerA].map((as): Row => ({
    name: `GET ${ROUTE} of A's generations as ${name(as)}`,
    kind: 'positive',
    call: {
      http: 'GET',
      route: ROUTE,
      as,
      path: (w) => `/api/export/generations?format=jsonl&columns=id,model&projectId=${w.alpha.projectId}`,
    },
    expect: { status: 200 },
  })),
  {
    name: `POST ${ROUTE} of A's traces as A's owner session`,
    kind: 'positive',
    call: {
      http: 'POST',
      route: ROUTE,
      as: sessionA,
      path: () => '/api/export/traces',
      body: (w) => ({ projectId: w.alpha.projectId, columns: ['id', 'startedAt'] }),
    },
    expect: { status: 200 },
  },
];
