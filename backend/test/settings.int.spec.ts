import type { NestExpressApplication } from '@nestjs/platform-express';
import { CommandBus } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { AcceptInviteCommand } from '../src/auth/commands/invites.commands';
import { RegisterUserCommand } from '../src/auth/commands/users.commands';
import { ClickHouse } from '../src/clickhouse/clickhouse';
import { SYSTEM } from '../src/control/control-events';
import { ControlPlane } from '../src/control/control-plane';
import { parseApiKey } from '../src/control/credentials';
import { graphqlHttp, type Credential } from './isolation/client';
import { login } from './isolation/world';
import { eventually } from './support/events';
import { startGatewayApp } from './support/gateway-app';

const DAY_MS = 86_400_000;

/**
 * Settings through GraphQL on the whole app (embedded log, chDB, the projector): retention applied
 * to the read models, project rename, invites revoked, the audit log's readable targets and filters.
 */
describe('settings: retention, rename, invites, audit (GraphQL, chDB)', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let projectId: string;
  let owner: Credential;
  let ownerEmail: string;
  let ch: ClickHouse;

  beforeAll(async () => {
    ({ app, base, apiKey } = await startGatewayApp('settings', {}));
    const control = app.get(ControlPlane);
    projectId = control.current.apiKeys.get(parseApiKey(apiKey)!.keyId)!.projectId;
    const ownerId = [...control.current.memberships.values()].find((m) => m.projectId === projectId)!.userId;
    ownerEmail = control.current.users.get(ownerId)!.email;
    // The test project's owner: sign in with the password createTestProject gave them.
    const suffix = ownerEmail.slice('settings-'.length, ownerEmail.indexOf('@'));
    owner = await login(base, ownerEmail, `password-${suffix}`);
    ch = app.get(ClickHouse);
  }, 60_000);
  afterAll(() => app?.close());

  const gql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const outcome = await graphqlHttp(base, owner, query, { p: projectId, ...variables });
    return outcome.gql as { data?: T; errors?: { extensions?: { code?: string; reason?: string } }[] };
  };
  const ingest = (items: unknown[]) =>
    fetch(`${base}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ batch: items }),
    });
  const span = (traceId: string, startedAt: Date) => ({
    id: randomUUID(),
    type: 'span',
    body: {
      traceId,
      spanId: `s-${traceId}`,
      kind: 'agent',
      name: 'agent',
      sessionId: `session-${traceId}`,
      userId: 'end-user-1',
      startedAt: startedAt.toISOString(),
      endedAt: new Date(startedAt.getTime() + 1000).toISOString(),
    },
  });
  const expiry = (table: string, traceId: string) =>
    ch.query<{ expires_at: string; started: string }>(
      `SELECT toString(expires_at) AS expires_at, toString(toDateTime(${table === 'scores' ? 'recorded_at' : 'started_at'})) AS started
       FROM ${table} WHERE project_id = {projectId:String} AND trace_id = {traceId:String}`,
      { projectId, traceId },
    );

  it('setRetention sets each read model row to expire `days` after it happened, and TTL deletes what is past it', async () => {
    const old = `old-${randomUUID()}`;
    const fresh = `fresh-${randomUUID()}`;
    expect(
      (await ingest([span(old, new Date(Date.now() - 10 * DAY_MS)), span(fresh, new Date())])).status,
    ).toBe(207);
    await eventually(
      () => expiry('traces', fresh),
      (rows) => rows.length === 1,
    );
    expect((await expiry('spans', fresh))[0].expires_at).toBe('2106-01-01 00:00:00');

    const set = await gql<{ setRetention: { days: number; setBy: { email: string } } }>(
      `mutation($p: ID, $days: Int) { setRetention(projectId: $p, input: { days: $days }) { days setAt setBy { email } } }`,
      { days: 30 },
    );
    expect(set.data?.setRetention).toMatchObject({ days: 30, setBy: { email: ownerEmail } });
    for (const table of ['spans', 'traces', 'trace_groups']) {
      await eventually(
        () => expiry(table, fresh),
        (rows) =>
          rows.length > 0 &&
          rows.every((r) => Date.parse(`${r.expires_at}Z`) - Date.parse(`${r.started}Z`) === 30 * DAY_MS),
      );
    }

    await gql(`mutation($p: ID) { setRetention(projectId: $p, input: { days: 3 }) { days } }`);
    await eventually(
      async () => {
        await ch.command('OPTIMIZE TABLE spans FINAL');
        await ch.command('OPTIMIZE TABLE traces FINAL');
        return [
          (await expiry('spans', old)).length,
          (await expiry('traces', old)).length,
          (await expiry('traces', fresh)).length,
        ];
      },
      (counts) => counts.join() === '0,0,1',
    );
    const read = await gql<{ retention: { days: number } }>(
      `query($p: ID) { retention(projectId: $p) { days } }`,
    );
    expect(read.data?.retention.days).toBe(3);

    const bad = await gql(`mutation($p: ID) { setRetention(projectId: $p, input: { days: 0 }) { days } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_retention' });
    await gql(`mutation($p: ID) { setRetention(projectId: $p, input: { days: null }) { days } }`);
  }, 120_000);

  it('renameProject renames; a blank name is BAD_USER_INPUT', async () => {
    const renamed = await gql<{ renameProject: { name: string } }>(
      `mutation($p: ID) { renameProject(projectId: $p, name: " Support bot ") { name } }`,
    );
    expect(renamed.data?.renameProject.name).toBe('Support bot');
    const project = await gql<{ project: { name: string } }>(
      `query($p: ID) { project(projectId: $p) { name } }`,
    );
    expect(project.data?.project.name).toBe('Support bot');
    const blank = await gql(`mutation($p: ID) { renameProject(projectId: $p, name: "  ") { name } }`);
    expect(blank.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_name' });
  });

  it('lists pending invites and revokes one: its link stops working, revoking again is NOT_FOUND', async () => {
    const created = await gql<{ createInvite: { id: string; url: string } }>(
      `mutation($p: ID) { createInvite(projectId: $p, role: VIEWER, email: "bo@example.com") { id url } }`,
    );
    const { id, url } = created.data!.createInvite;
    const listed = await gql<{
      invites: { id: string; email: string; role: string; invitedBy: { email: string } }[];
    }>(`query($p: ID) { invites(projectId: $p) { id email role expired invitedBy { email } } }`);
    expect(listed.data?.invites).toEqual([
      { id, email: 'bo@example.com', role: 'VIEWER', expired: false, invitedBy: { email: ownerEmail } },
    ]);

    const revoked = await gql(`mutation($p: ID, $id: ID!) { revokeInvite(projectId: $p, id: $id) }`, { id });
    expect(revoked.data).toEqual({ revokeInvite: true });
    expect(
      (await gql<{ invites: unknown[] }>(`query($p: ID) { invites(projectId: $p) { id } }`)).data?.invites,
    ).toEqual([]);
    const token = url.slice(url.lastIndexOf('/') + 1);
    const accept = await fetch(`${base}/auth/invites/${token}`);
    expect(accept.status).not.toBe(200);
    const again = await gql(`mutation($p: ID, $id: ID!) { revokeInvite(projectId: $p, id: $id) }`, { id });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'invite_not_found' });
  });

  it('the audit log reads targets as a person would (key names, e-mails, old → new role) and filters them', async () => {
    const commands = app.get(CommandBus);
    const bo = await commands.execute(
      new RegisterUserCommand(SYSTEM, {
        email: `bo-${randomUUID().slice(0, 6)}@example.com`,
        name: 'Bo',
        password: 'password-bo-123',
      }),
    );
    const set = (role: string) =>
      gql(
        `mutation($p: ID, $u: ID!, $r: Role!) { setMemberRole(projectId: $p, userId: $u, role: $r) { role } }`,
        {
          u: bo.userId,
          r: role,
        },
      );
    const invite = await gql<{ createInvite: { url: string } }>(
      `mutation($p: ID) { createInvite(projectId: $p, role: VIEWER) { url } }`,
    );
    const url = invite.data!.createInvite.url;
    await commands.execute(
      new AcceptInviteCommand(url.slice(url.lastIndexOf('/') + 1), { userId: bo.userId }),
    );
    await set('MEMBER');
    await set('ADMIN');
    await gql(`mutation($p: ID) { createApiKey(projectId: $p, name: "CI deploy") { secret } }`);

    type Entries = { auditLog: { entries: { action: string; targetLabel: string; actor: string }[] } };
    const entries = async (filter?: unknown) =>
      (
        await gql<Entries>(
          `query($p: ID, $f: AuditFilter) { auditLog(projectId: $p, filter: $f) { entries { action targetLabel actor } } }`,
          { f: filter },
        )
      ).data!.auditLog.entries;
    await eventually(entries, (all) => all.some((e) => e.targetLabel.includes('CI deploy')));
    const all = await entries();
    expect(all.map((e) => e.targetLabel)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^key “CI deploy” \(pk_/),
        `${bo.email}: none → viewer`,
        `${bo.email}: viewer → member`,
        `${bo.email}: member → admin`,
        'invite for bo@example.com as viewer',
        'project “Support bot”',
        'retention: 3 days',
        'retention: keep for ever',
      ]),
    );
    expect(all.find((e) => e.action === 'api-key.created' && e.targetLabel.includes('CI'))?.actor).toBe(
      ownerEmail,
    );

    const memberships = await entries({ actions: ['membership'] });
    expect(memberships.map((e) => e.targetLabel)).toEqual([
      `${bo.email}: member → admin`,
      `${bo.email}: viewer → member`,
      `${bo.email}: none → viewer`,
      `${ownerEmail}: none → owner`,
    ]);
    const byOwner = await entries({ actorId: bo.userId });
    expect(byOwner.map((e) => e.action).sort()).toEqual(['invite.accepted', 'membership.granted']);
    expect(await entries({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    const bad = await gql(
      `query($p: ID) { auditLog(projectId: $p, filter: { actions: ["DROP TABLE"] }) { entries { id } } }`,
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'invalid_filter' });
  });
});
