import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { eventually } from '../support/events';
import { withoutCsrf, type Credential } from './client';
import { CREDENTIAL_NAMES, keyA, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';
import type { World } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const INGEST = '/api/ingest';
const onProject = (projectId: string) => ({ 'x-sightline-project-id': projectId });

/** What the denied calls try to write: it must never land in any project. */
const INTRUDER_TRACE = newTraceId();
const ALPHA_TRACE = newTraceId();
const batchOf = (traceId: string) => () => ({
  batch: [{ id: newEventId(), type: 'span', body: { traceId, spanId: newSpanId(), name: 'intruder span' } }],
});

const spanProjects = async (w: World, traceId: string) =>
  (
    await w.app
      .get(ClickHouse)
      .query<{ project_id: string }>('SELECT project_id FROM spans FINAL WHERE trace_id = {traceId:String}', {
        traceId,
      })
  ).map((r) => r.project_id);

export const ingestRows: Row[] = [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `${INGEST} into B's project (x-sightline-project-id) as ${name(as)}`,
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: INGEST,
      as,
      body: batchOf(INTRUDER_TRACE),
      headers: (_w, t) => onProject(t.projectId),
    },
    expect: { status: 404, code: 'project_not_found' },
  })),
  ...DENIED.map(([as, kind]): Row => ({
    name: `${INGEST} into B's project with ${name(as)}`,
    kind,
    call: {
      http: 'POST',
      route: INGEST,
      as,
      body: batchOf(INTRUDER_TRACE),
      headers: (_w, t) => onProject(t.projectId),
    },
    expect: { status: 401, code: 'unauthenticated' },
  })),
  {
    name: `${INGEST} into A's project as A's viewer: viewers do not send`,
    kind: 'role',
    call: {
      http: 'POST',
      route: INGEST,
      as: viewerA,
      body: batchOf(INTRUDER_TRACE),
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 403, code: 'forbidden' },
  },
  {
    name: `${INGEST} into A's project as A's owner session without the CSRF header`,
    kind: 'csrf',
    call: {
      http: 'POST',
      route: INGEST,
      as: (w) => withoutCsrf(w.alpha.session),
      body: batchOf(INTRUDER_TRACE),
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 403, code: 'csrf' },
  },
  {
    name: `${INGEST} as A's API key records into A, and nothing denied landed anywhere`,
    kind: 'positive',
    call: { http: 'POST', route: INGEST, as: keyA, body: batchOf(ALPHA_TRACE) },
    expect: { status: 207 },
    verify: async (w) => {
      const projects = await eventually(
        () => spanProjects(w, ALPHA_TRACE),
        (p) => p.length === 1,
      );
      expect(projects).toEqual([w.alpha.projectId]);
      expect(await spanProjects(w, INTRUDER_TRACE)).toEqual([]);
    },
  },
];
