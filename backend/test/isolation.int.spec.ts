/**
 * Isolation between projects, table-driven: every GraphQL root field and every HTTP endpoint is
 * attacked with A's credentials (API key, owner session, viewer session) against B's data, and
 * tried without, with forged and with revoked credentials; positive controls show the same calls
 * work on the caller's own project. The table must cover every field of `schemas/graphql` and
 * every route of the running app, or the suite fails.
 *
 * Every denial must also hold no data of B (the whole response is searched for B's ids, names,
 * emails, prompts, tokens) and, for cross-project and credential rows, be byte-identical to the
 * answer for ids that exist nowhere.
 *
 * Rows run in order against one app (chDB: one data folder per process).
 */
import { ClickHouse } from '../src/clickhouse/clickhouse';
import { graphqlHttp, httpRequest, type Outcome } from './isolation/client';
import { expectBravoIntact, expectNoCrossMembership, expectNoIntruderArtifacts } from './isolation/common';
import { D } from './isolation/documents';
import { covers, httpEndpoints, schemaRootFields } from './isolation/endpoints';
import { analyticsRows } from './isolation/rows-analytics';
import { anthropicRows } from './isolation/rows-anthropic';
import { costRows } from './isolation/rows-costs';
import { exportRows } from './isolation/rows-export';
import { budgetRows } from './isolation/rows-budgets';
import { credentialRows } from './isolation/rows-credentials';
import { demoRows } from './isolation/rows-demo';
import { graphqlLateRows, graphqlRows } from './isolation/rows-graphql';
import { ingestRows } from './isolation/rows-ingest';
import { otlpRows } from './isolation/rows-otlp';
import { liveRows } from './isolation/rows-live';
import { modelRows } from './isolation/rows-models';
import { restatementRows } from './isolation/rows-restatements';
import { openAiEndpointRows } from './isolation/rows-openai-endpoints';
import { playgroundRows } from './isolation/rows-playground';
import { promptRows } from './isolation/rows-prompts';
import { redactionRows } from './isolation/rows-redaction';
import { viewRows } from './isolation/rows-views';
import { refusalRows } from './isolation/rows-refusals';
import { replayRows } from './isolation/rows-replay';
import { experimentRows } from './isolation/rows-experiments';
import { settingsRows } from './isolation/rows-settings';
import { restLateRows, restRows } from './isolation/rows-rest';
import { groupRows, traceRows } from './isolation/rows-traces';
import {
  checksSameForUnknownIds,
  coverageOf,
  execute,
  ROW_KINDS,
  type Expectation,
  type Row,
} from './isolation/table';
import { buildWorld, dataOf, leaks, startApp, type World } from './isolation/world';
import { eventually } from './support/events';

/** Answered to anyone, on purpose; each is checked to exist and to hold no tenant data. */
const PUBLIC_ENDPOINTS = ['GET /healthz'];

const MAIN_ROWS: Row[] = [
  ...graphqlRows,
  ...credentialRows,
  ...restRows,
  ...anthropicRows,
  ...modelRows,
  ...budgetRows,
  ...restatementRows,
  ...openAiEndpointRows,
  ...liveRows,
  ...ingestRows,
  ...otlpRows,
  ...traceRows,
  ...groupRows,
  ...refusalRows,
  ...costRows,
  ...playgroundRows,
  ...replayRows,
  ...experimentRows,
  ...analyticsRows,
  ...promptRows,
  ...redactionRows,
  ...settingsRows,
  ...viewRows,
  ...exportRows,
];
/** Rows that change A (password, data with B's ids in A's audit log): after the B history check. */
const LATE_ROWS: Row[] = [...graphqlLateRows, ...restLateRows, ...demoRows];
const TABLE: Row[] = [...MAIN_ROWS, ...LATE_ROWS];

const ROW_TIMEOUT_MS = 60_000;

function oneOf<T>(actual: T, allowed: readonly T[], what: string): void {
  if (!allowed.includes(actual))
    throw new Error(`${what} ${String(actual)}, expected ${allowed.join(' or ')}`);
}

function checkExpectation(expectation: Expectation, o: Outcome): void {
  if ('status' in expectation) {
    oneOf(o.status, ([] as number[]).concat(expectation.status), 'HTTP status');
    if (expectation.code) {
      expect((o.body as { error?: { code?: string } } | undefined)?.error?.code).toBe(expectation.code);
    }
  } else if ('gqlError' in expectation) {
    const codes = ([] as string[]).concat(expectation.gqlError);
    expect(o.gql).toBeDefined();
    // No data for any root field, only errors, all of the expected kind.
    expect(Object.values(o.gql?.data ?? {}).filter((v) => v !== null)).toEqual([]);
    expect(o.gql?.errors?.length).toBeGreaterThan(0);
    for (const error of o.gql?.errors ?? []) {
      oneOf(error.extensions?.code, codes, 'GraphQL error code');
      if (expectation.reason) expect(error.extensions?.reason).toBe(expectation.reason);
    }
  }
}

describe('isolation between projects', () => {
  let w: World;

  beforeAll(async () => {
    const { app, base, wsUrl } = await startApp();
    try {
      w = await buildWorld(app, base, wsUrl);
    } catch (error) {
      await app.close();
      throw error;
    }
  }, 120_000);

  afterAll(async () => {
    await w?.app.close();
  });

  async function runRow(row: Row): Promise<void> {
    if (!w) throw new Error('the app did not start');
    try {
      const outcome = await execute(row, w, w.targets.bravo);
      try {
        checkExpectation(row.expect, outcome);
        if ('ok' in row.expect) await row.expect.ok(outcome, w);
        if (!row.actsAsBravo) expect(leaks(w, outcome.text)).toEqual([]);
      } catch (error) {
        throw new Error(`${(error as Error).message}\n\nwhat the caller saw:\n${outcome.text}`, {
          cause: error,
        });
      }
      if (checksSameForUnknownIds(row)) {
        // The same call on ids that exist nowhere: a denial must not tell B's ids from made-up ones.
        const unknown = await execute(row, w, w.targets.nowhere);
        expect(unknown.comparable).toBe(outcome.comparable);
      }
      await row.verify?.(w, outcome);
    } finally {
      await row.cleanup?.(w);
    }
  }

  describe('the table is complete', () => {
    const kindsOf = (key: string, match: (rowKey: string, key: string) => boolean) =>
      new Set(TABLE.filter((row) => coverageOf(row).some((k) => match(k, key))).map((row) => row.kind));

    it('has a cross-project row and a positive control for every GraphQL root field', () => {
      const fields = schemaRootFields();
      expect(fields.length).toBeGreaterThan(10);
      const missing = fields.flatMap((field) => {
        const kinds = kindsOf(field, (k, f) => k === f);
        return [
          ...(kinds.has('cross-project') ? [] : [`${field}: no cross-project row`]),
          ...(kinds.has('positive') ? [] : [`${field}: no positive control`]),
        ];
      });
      expect(missing).toEqual([]);
    });

    it('has a cross-project row and a positive control for every HTTP endpoint but the public ones', () => {
      const endpoints = httpEndpoints(w.app);
      expect(endpoints).toEqual(expect.arrayContaining(['POST /v1/chat/completions', '* /graphql']));
      const missing = endpoints
        .filter((e) => !PUBLIC_ENDPOINTS.includes(e))
        .flatMap((endpoint) => {
          const kinds = kindsOf(endpoint, covers);
          return [
            ...(kinds.has('cross-project') ? [] : [`${endpoint}: no cross-project row`]),
            ...(kinds.has('positive') ? [] : [`${endpoint}: no positive control`]),
          ];
        });
      expect(missing).toEqual([]);
    });

    it('names only fields and endpoints that exist, each row once', () => {
      const fields = new Set(schemaRootFields());
      const endpoints = httpEndpoints(w.app);
      const stale = TABLE.flatMap((row) =>
        coverageOf(row)
          .filter((key) =>
            /^(Query|Mutation|Subscription)\./.test(key)
              ? !fields.has(key)
              : key !== 'WS /graphql' && !endpoints.some((e) => covers(key, e)),
          )
          .map((key) => `${row.name}: ${key}`),
      );
      expect(stale).toEqual([]);
      const names = TABLE.map((row) => row.name);
      expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
      expect(TABLE.every((row) => ROW_KINDS.includes(row.kind))).toBe(true);
    });

    it('keeps the public allow-list to routes that exist and answer anyone with no tenant data', async () => {
      const endpoints = httpEndpoints(w.app);
      for (const endpoint of PUBLIC_ENDPOINTS) {
        expect(endpoints).toContain(endpoint);
        const [method, path] = endpoint.split(' ');
        const res = await httpRequest(w.base, { kind: 'none' }, method as 'GET', path);
        expect(res.status).toBe(200);
        expect(leaks(w, res.text)).toEqual([]);
        for (const own of [w.alpha.projectId, w.alpha.userId, w.alpha.email, w.alpha.keyId])
          expect(res.text).not.toContain(own);
      }
    });

    it('has rows of every kind', () => {
      for (const kind of ROW_KINDS)
        expect(TABLE.filter((row) => row.kind === kind).length).toBeGreaterThan(0);
    });
  });

  describe('table', () => {
    for (const row of MAIN_ROWS) {
      it(`[${row.kind}] ${row.name}`, () => runRow(row), ROW_TIMEOUT_MS);
    }

    it("B's audit log shows no action by A, A's viewer or A's keys", async () => {
      // A fresh action of B: once its entry is projected, everything before it is too.
      const marker = dataOf<{ createInvite: { id: string } }>(
        await graphqlHttp(w.base, w.bravo.session, D.createInvite, {
          p: w.bravo.projectId,
          role: 'VIEWER',
          email: 'bravo-marker@example.com',
        }),
      ).createInvite.id;
      const log = await eventually(
        async () =>
          dataOf<{ auditLog: { entries: { actor: string; action: string; target: string }[] } }>(
            await graphqlHttp(w.base, w.bravo.session, D.auditLog, { p: w.bravo.projectId }),
          ).auditLog.entries,
        (entries) => entries.some((e) => e.target === marker),
      );
      const foreign = log.filter(
        (e) =>
          !(
            e.actor === w.bravo.email ||
            e.actor === 'system' ||
            (e.actor === 'api key' && e.action === 'api-key.used')
          ),
      );
      expect(foreign).toEqual([]);
    });

    for (const row of LATE_ROWS) {
      it(`[${row.kind}] ${row.name}`, () => runRow(row), ROW_TIMEOUT_MS);
    }

    it('leaves B intact after every row: project, owner, keys, data, session; nothing an attack created', async () => {
      await expectBravoIntact(w);
      expectNoCrossMembership(w);
      expectNoIntruderArtifacts(w);
    });
  });

  it('sorts every ClickHouse table by project_id first', async () => {
    const tables = await w.app.get(ClickHouse).query<{ name: string; engine: string; sorting_key: string }>(
      `SELECT name, engine, sorting_key FROM system.tables
       WHERE database = currentDatabase() AND NOT is_temporary
         AND engine NOT IN ('View', 'MaterializedView', 'Dictionary') -- views and dictionaries hold no rows of their own
         AND name != 'schema_migrations'
       ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['audit_log', 'events', 'generations']));
    const wrong = tables.filter((t) => t.sorting_key.split(',')[0].trim() !== 'project_id');
    expect(wrong).toEqual([]);
  });
});
