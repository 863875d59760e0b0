import { randomUUID } from 'node:crypto';
import { newEventId, newSpanId, newTraceId } from '@sightline/schemas';
import { graphqlHttp, httpRequest, type Credential, type Outcome } from './client';
import {
  asAlpha,
  bodyOf,
  control,
  CREDENTIAL_NAMES,
  forbidden,
  gqlError,
  intruderModel,
  keyA,
  notFound,
  sessionA,
  viewerA,
} from './common';
import { D } from './documents';
import { DENIED } from './rows-rest';
import type { Fn, Row, Vars } from './table';
import { dataOf, type World } from './world';

/** `GET /v1/models`, `GET /v1/models/{model}` and the GraphQL catalog: a project sees its own models only. */
const LIST = '/v1/models';
const RETRIEVE = '/v1/models/*model';

interface ListedModels {
  data: { id: string; sightline: { own: boolean } }[];
}
interface Shown {
  id: string;
  projectModelId: string | null;
  usable: boolean;
}

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const onProject = (projectId: string) => ({ 'x-sightline-project-id': projectId });
const alphaModel = () => ({
  name: `alpha-model-${randomUUID().slice(0, 8)}`,
  provider: 'openai',
  wireModel: 'ft:gpt-4o-mini:alpha::a1',
  baseModel: 'gpt-4o-mini',
});

const restRowsFor = (route: string, path: string): Row[] => [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `GET ${path} of B's project (x-sightline-project-id) as ${name(as)}`,
    kind: 'cross-project',
    call: { http: 'GET', route, path: () => path, as, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 404, code: 'project_not_found' },
  })),
  ...DENIED.map(([as, kind]): Row => ({
    name: `GET ${path} of B's project with ${name(as)}`,
    kind,
    call: { http: 'GET', route, path: () => path, as, headers: (_w, t) => onProject(t.projectId) },
    expect: { status: 401, code: 'invalid_api_key' },
  })),
];

/** `Model.usage`: read per project; B's project is absent to A, A's usage counts A's gateway call. */
const USAGE = `query($p: ID) { models(projectId: $p, includeUnusable: true) { id usage { requests lastUsedAt } } }`;
type UsageData = { models: { id: string; usage: { requests: number; lastUsedAt: string | null } }[] };
/** A generation of mock-large that A reports (once: the event id is the idempotency key), a minute ago. */
const A_USE = { eventId: newEventId(), traceId: newTraceId(), spanId: newSpanId() };
async function aUse(w: World): Promise<Vars> {
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  const body = {
    traceId: A_USE.traceId,
    spanId: A_USE.spanId,
    model: 'mock-large',
    startedAt,
    endedAt: startedAt,
    usage: { inputTokens: 7, outputTokens: 3 },
  };
  const sent = await httpRequest(w.base, w.alpha.key, 'POST', '/api/ingest', {
    body: { batch: [{ id: A_USE.eventId, type: 'generation', body }] },
  });
  if (sent.status !== 207 || !sent.text.includes('"successes":[{'))
    throw new Error(`ingest answered ${sent.status}: ${sent.text}`);
  return { p: w.alpha.projectId };
}
const mockLarge = (o: Outcome) =>
  (o.gql?.data as UsageData | undefined)?.models.find((m) => m.id === 'mock-large')?.usage;

const usageRows: Row[] = [
  ...[keyA, sessionA, viewerA].map((as): Row => ({
    name: `models { usage } on B's project as ${name(as)}`,
    kind: 'cross-project',
    call: { gql: USAGE, as, variables: (_w, t) => ({ p: t.projectId }) },
    expect: notFound,
  })),
  {
    name: "models { usage } as A's viewer counts the generation A reported on its model",
    kind: 'positive',
    call: {
      gql: USAGE,
      as: viewerA,
      variables: aUse,
      until: (o) => (mockLarge(o)?.requests ?? 0) > 0,
    },
    expect: {
      ok: (o) => {
        expect(dataOf<UsageData>(o).models.length).toBeGreaterThan(0);
        expect(mockLarge(o)?.requests).toBeGreaterThan(0);
        expect(mockLarge(o)?.lastUsedAt).not.toBeNull();
      },
    },
  },
];

export const modelRows: Row[] = [
  ...usageRows,
  ...restRowsFor(LIST, LIST),
  ...restRowsFor(RETRIEVE, '/v1/models/mock-1'),
  {
    name: "GET /v1/models as A's key: the catalog's usable models in OpenAI's list shape, none of B's",
    kind: 'positive',
    call: { http: 'GET', route: LIST, as: keyA },
    expect: {
      status: 200,
    },
    verify: (w, o) => {
      const listed = bodyOf<ListedModels>(o);
      expect(listed.data.map((m) => m.id)).toContain('mock-1');
      expect(listed.data.some((m) => m.id === w.bravo.modelName)).toBe(false);
    },
  },
  {
    name: "GET /v1/models/{B's model name} as A's key: A has no such model",
    kind: 'role',
    call: { http: 'GET', route: RETRIEVE, path: (w) => `/v1/models/${w.bravo.modelName}`, as: keyA },
    expect: { status: 404, code: 'model_not_found' },
  },
  {
    name: "GET /v1/models/mock-1 as A's viewer session",
    kind: 'positive',
    call: {
      http: 'GET',
      route: RETRIEVE,
      path: () => '/v1/models/mock-1',
      as: viewerA,
      headers: (w) => onProject(w.alpha.projectId),
    },
    expect: { status: 200 },
    verify: (_w, o) =>
      expect(bodyOf<{ id: string; object: string }>(o)).toMatchObject({ id: 'mock-1', object: 'model' }),
  },

  // ---- GraphQL ----
  {
    name: "models(A) as A's viewer: the catalog and A's own models",
    kind: 'positive',
    call: { gql: D.models, as: viewerA, variables: (w) => ({ p: w.alpha.projectId }) },
    expect: { ok: (o) => expect(dataOf<{ models: Shown[] }>(o).models.length).toBeGreaterThanOrEqual(40) },
  },
  {
    name: "addProjectModel(A) as A's owner session, then A calls it by name and B does not see it",
    kind: 'positive',
    call: {
      gql: D.addProjectModel,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, input: alphaModel() }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ addProjectModel: Shown }>(o).addProjectModel.projectModelId).toBeTruthy(),
    },
    verify: async (w, o) => {
      const added = dataOf<{ addProjectModel: Shown }>(o).addProjectModel;
      expect(control(w).projectModels.get(added.projectModelId!)).toMatchObject({
        projectId: w.alpha.projectId,
      });
      const bravo = dataOf<{ models: Shown[] }>(
        await graphqlHttp(w.base, w.bravo.session, D.models, { p: w.bravo.projectId }),
      ).models;
      expect(bravo.some((m) => m.id === added.id)).toBe(false);
    },
  },
  {
    name: "addProjectModel(A) as A's viewer",
    kind: 'role',
    call: {
      gql: D.addProjectModel,
      as: viewerA,
      variables: (w) => ({ p: w.alpha.projectId, input: intruderModel() }),
    },
    expect: forbidden,
  },
  {
    name: "addProjectModel as A's API key: keys do not administer",
    kind: 'role',
    call: { gql: D.addProjectModel, as: keyA, variables: () => ({ input: intruderModel() }) },
    expect: forbidden,
  },
  {
    name: "removeProjectModel(A) as A's owner session",
    kind: 'positive',
    call: {
      gql: D.removeProjectModel,
      as: sessionA,
      variables: async (w) => {
        const { addProjectModel } = await asAlpha<{ addProjectModel: Shown }>(w, D.addProjectModel, {
          p: w.alpha.projectId,
          input: alphaModel(),
        });
        return { p: w.alpha.projectId, id: addProjectModel.projectModelId };
      },
    },
    expect: { ok: (o) => expect(dataOf<{ removeProjectModel: boolean }>(o).removeProjectModel).toBe(true) },
  },
  {
    name: "removeProjectModel(A, B's model id) as A's owner session: unknown in A",
    kind: 'cross-project',
    call: {
      gql: D.removeProjectModel,
      as: sessionA,
      variables: (w, t) => ({ p: w.alpha.projectId, id: t.modelId }),
    },
    expect: gqlError('NOT_FOUND', 'model_not_found'),
  },
];
