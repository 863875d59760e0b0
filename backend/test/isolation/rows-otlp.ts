import { newSpanId, newTraceId } from '@sightline/schemas';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { parseApiKey } from '../../src/control/credentials';
import { eventually } from '../support/events';
import type { Credential } from './client';
import { CREDENTIAL_NAMES, keyA, none } from './common';
import { DENIED } from './rows-rest';
import type { Fn, Row } from './table';
import type { World } from './world';

const name = (as: Fn<Credential>): string => CREDENTIAL_NAMES.get(as) ?? 'someone';
const OTLP = '/v1/traces';
const PUBLIC_OTLP = '/api/public/otel/v1/traces';

/** What the denied calls try to write: it must never land in any project. */
const INTRUDER_TRACE = newTraceId();
const ALPHA_TRACE = newTraceId();
const ALPHA_PUBLIC_TRACE = newTraceId();
const exportOf = (traceId: string) => () => {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = {
    traceId,
    spanId: newSpanId(),
    name: 'intruder span',
    startTimeUnixNano: String(now),
    endTimeUnixNano: String(now + 1_000_000n),
  };
  return { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
};

/** HTTP Basic as Langfuse-style SDKs send it: the key id as the public key, the secret as the password. */
const basic = (publicKey: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${publicKey}:${secret}`).toString('base64')}`,
});
const basicOf = (key: string) => {
  const parsed = parseApiKey(key)!;
  return basic(parsed.keyId, parsed.secret);
};

const spanProjects = async (w: World, traceId: string) =>
  (
    await w.app
      .get(ClickHouse)
      .query<{ project_id: string }>('SELECT project_id FROM spans FINAL WHERE trace_id = {traceId:String}', {
        traceId,
      })
  ).map((r) => r.project_id);

const landedOnlyInAlpha = (traceId: string) => async (w: World) => {
  const projects = await eventually(
    () => spanProjects(w, traceId),
    (p) => p.length === 1,
  );
  expect(projects).toEqual([w.alpha.projectId]);
  expect(await spanProjects(w, INTRUDER_TRACE)).toEqual([]);
};

export const otlpRows: Row[] = [
  ...DENIED.map(([as, kind]): Row => ({
    name: `${OTLP} with ${name(as)}`,
    kind,
    call: { http: 'POST', route: OTLP, as, body: exportOf(INTRUDER_TRACE) },
    expect: { status: 401 },
  })),
  {
    name: `${OTLP} as A's API key records into A, and nothing denied landed anywhere`,
    kind: 'positive',
    call: { http: 'POST', route: OTLP, as: keyA, body: exportOf(ALPHA_TRACE) },
    expect: { status: 200 },
    verify: landedOnlyInAlpha(ALPHA_TRACE),
  },
  {
    name: `${PUBLIC_OTLP} with no credentials`,
    kind: 'unauthenticated',
    call: { http: 'POST', route: PUBLIC_OTLP, as: none, body: exportOf(INTRUDER_TRACE) },
    expect: { status: 401 },
  },
  {
    name: `${PUBLIC_OTLP} with A's key as a Bearer token: this route takes Basic only`,
    kind: 'unauthenticated',
    call: { http: 'POST', route: PUBLIC_OTLP, as: keyA, body: exportOf(INTRUDER_TRACE) },
    expect: { status: 401 },
  },
  {
    name: `${PUBLIC_OTLP} with B's public key and A's secret`,
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: PUBLIC_OTLP,
      as: none,
      body: exportOf(INTRUDER_TRACE),
      headers: (w, t) => basic(t.keyId, parseApiKey(w.alpha.apiKey)!.secret),
    },
    expect: { status: 401 },
  },
  {
    name: `${PUBLIC_OTLP} with B's public key and A's whole key as the secret`,
    kind: 'cross-project',
    call: {
      http: 'POST',
      route: PUBLIC_OTLP,
      as: none,
      body: exportOf(INTRUDER_TRACE),
      headers: (w, t) => basic(t.keyId, w.alpha.apiKey),
    },
    expect: { status: 401 },
  },
  {
    name: `${PUBLIC_OTLP} with A's revoked key`,
    kind: 'revoked',
    call: {
      http: 'POST',
      route: PUBLIC_OTLP,
      as: none,
      body: exportOf(INTRUDER_TRACE),
      headers: (w) => basicOf((w.alpha.revokedKey as { key: string }).key),
    },
    expect: { status: 401 },
  },
  {
    name: `${PUBLIC_OTLP} as A's key (Basic) records into A, and nothing denied landed anywhere`,
    kind: 'positive',
    call: {
      http: 'POST',
      route: PUBLIC_OTLP,
      as: none,
      body: exportOf(ALPHA_PUBLIC_TRACE),
      headers: (w) => basicOf(w.alpha.apiKey),
    },
    expect: { status: 200 },
    verify: landedOnlyInAlpha(ALPHA_PUBLIC_TRACE),
  },
];
