import type { Credential } from './client';
import { CREDENTIAL_NAMES, gqlError, keyA, notFound, sessionA, viewerA } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row, Vars } from './table';
import { dataOf } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';

const MEASURES = 'requests errors cost latencyMs { p50 p95 }';
const A = {
  analyticsSeries: `query($p: ID, $f: GenerationFilter!) {
    analyticsSeries(projectId: $p, filter: $f, bucket: HOUR, groupBy: { dimension: MODEL }) {
      servedFrom series { key points { bucket values { ${MEASURES} } } } } }`,
  analyticsTop: `query($p: ID, $f: GenerationFilter!) {
    analyticsTop(projectId: $p, filter: $f, groupBy: { dimension: USER }, rankBy: COST) {
      servedFrom groups { key values { ${MEASURES} } } } }`,
  analyticsCompare: `query($p: ID, $f: GenerationFilter!) {
    analyticsCompare(projectId: $p, filter: $f, baselineFrom: "2020-01-01T00:00:00Z", baselineTo: "2020-01-02T00:00:00Z") {
      key current { ${MEASURES} } baseline { ${MEASURES} } } }`,
} as const;
type Field = keyof typeof A;

/** Two whole days around now (hour-aligned: the rollups answer). */
function window(): { from: string; to: string } {
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  return { from: new Date(hour - 86_400_000).toISOString(), to: new Date(hour + 86_400_000).toISOString() };
}

const onB: Fn<Vars> = (_w, t) => ({ p: t.projectId, f: window() });

type SeriesData = { analyticsSeries: { series: { points: { values: { requests: number } }[] }[] } };
const requestsOf = (data: SeriesData) =>
  data.analyticsSeries.series.flatMap((s) => s.points).reduce((n, p) => n + p.values.requests, 0);

/** Query.analyticsSeries, analyticsTop, analyticsCompare: B's project reads as absent to A. */
export const analyticsRows: Row[] = [
  ...(Object.keys(A) as Field[]).flatMap((field): Row[] => [
    ...[keyA, sessionA, viewerA].map((as): Row => ({
      name: `${field} on B's project as ${name(as)}`,
      kind: 'cross-project',
      call: { gql: A[field], as, variables: onB },
      expect: notFound,
    })),
    ...DENIED.map(([as, kind]): Row => ({
      name: `${field} on B's project with ${name(as)}`,
      kind,
      call: { gql: A[field], as, variables: onB },
      expect: gqlError('UNAUTHENTICATED'),
    })),
  ]),
  {
    name: "analyticsSeries() as A's API key counts A's gateway calls (from the hourly rollup)",
    kind: 'positive',
    call: {
      gql: A.analyticsSeries,
      as: keyA,
      variables: () => ({ f: window() }),
      until: (o) => !!o.gql?.data && requestsOf(o.gql.data as SeriesData) > 0,
    },
    expect: {
      ok: (o) => {
        expect(requestsOf(dataOf<SeriesData>(o))).toBeGreaterThan(0);
        expect(dataOf<{ analyticsSeries: { servedFrom: string } }>(o).analyticsSeries.servedFrom).toBe(
          'ROLLUP_HOUR',
        );
      },
    },
  },
  {
    name: "analyticsTop(A) as A's viewer",
    kind: 'positive',
    call: { gql: A.analyticsTop, as: viewerA, variables: (w) => ({ p: w.alpha.projectId, f: window() }) },
    expect: {
      ok: (o) =>
        expect(dataOf<{ analyticsTop: { servedFrom: string } }>(o).analyticsTop.servedFrom).toBe('RAW'),
    },
  },
  {
    name: "analyticsCompare(A) as A's owner session",
    kind: 'positive',
    call: {
      gql: A.analyticsCompare,
      as: sessionA,
      variables: (w) => ({ p: w.alpha.projectId, f: window() }),
    },
    expect: {
      ok: (o) => expect(dataOf<{ analyticsCompare: unknown[] }>(o).analyticsCompare).toHaveLength(1),
    },
  },
];
