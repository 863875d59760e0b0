/**
 * A project's provider credentials through the real app on the embedded log: added, listed,
 * rotated and removed over GraphQL as the owner; the secret never comes back, never reaches the
 * event log in plain (its records and its lmdb files are searched), the audit log or the server log.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { createApp } from '../create-app';
import { EventLog } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { graphqlHttp, type Credential, type Outcome } from '../../test/isolation/client';
import { login } from '../../test/isolation/world';
import { createTestProject } from '../../test/support/accounts';
import { eventually } from '../../test/support/events';
import { ProviderSecrets } from './provider-secrets';

const FIELDS =
  'id provider label last4 baseUrl weight region apiVersion createdAt createdBy { email } rotatedAt';
const LIST = `query($p: ID) { providerCredentials(projectId: $p) { ${FIELDS} } }`;
const ADD = `mutation($p: ID, $input: AddProviderCredentialInput!) {
  addProviderCredential(projectId: $p, input: $input) { ${FIELDS} } }`;
const ROTATE = `mutation($p: ID, $id: ID!, $secret: String!) {
  rotateProviderCredential(projectId: $p, id: $id, secret: $secret) { ${FIELDS} } }`;
const REMOVE = `mutation($p: ID, $id: ID!) { removeProviderCredential(projectId: $p, id: $id) }`;
const AUDIT = `query($p: ID) { auditLog(projectId: $p) { entries { action target } } }`;

const newSecret = (): string => `sk-proj-${randomBytes(24).toString('base64url')}`;

describe('provider credentials of a project', () => {
  let app: NestExpressApplication;
  let base: string;
  let dataDir: string;
  let owner: Credential;
  let projectId: string;
  const logged: string[] = [];
  const writes = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream);
    return { stream, write };
  });

  beforeAll(async () => {
    for (const { stream, write } of writes) {
      stream.write = ((chunk: unknown, ...rest: never[]) => {
        logged.push(String(chunk));
        return write(chunk as string, ...rest);
      }) as typeof stream.write;
    }
    dataDir = mkdtempSync(join(tmpdir(), 'sightline-credentials-'));
    app = await createApp(
      new AppConfig({
        PORT: '0',
        DATA_DIR: dataDir,
        SIGHTLINE_UI_DIR: '',
        LOG_LEVEL: 'verbose',
        API_RATE_LIMIT_RPS: '10000',
      }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const created = await createTestProject(app, 'creds');
    projectId = created.projectId;
    owner = await login(base, created.user.email, created.password);
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    for (const { stream, write } of writes) stream.write = write;
  });

  const call = (query: string, variables: Record<string, unknown>) =>
    graphqlHttp(base, owner, query, { p: projectId, ...variables });
  const data = <T>(o: Outcome): T => {
    if (o.gql?.errors?.length || !o.gql?.data) throw new Error(o.text);
    return o.gql.data as T;
  };

  /** Every control record's bytes, as the log stores them. */
  async function controlRecords(): Promise<string[]> {
    const log = app.get(EventLog);
    const [end] = await log.endOffsets(TOPICS.control);
    return (await log.read(TOPICS.control, 0, 0, end)).map((r) => Buffer.from(r.value).toString('utf8'));
  }

  /** The lmdb files on disk (stored uncompressed), as latin1 so any byte sequence is searchable. */
  function logFiles(): string {
    const dir = join(dataDir, 'eventlog');
    return readdirSync(dir)
      .map((f) => readFileSync(join(dir, f)).toString('latin1'))
      .join('\n');
  }

  it('is added and listed without its secret, which stays encrypted at rest', async () => {
    const secret = newSecret();
    const label = `team-openai-${randomBytes(4).toString('hex')}`;
    const added = await call(ADD, { input: { provider: 'openai', label, secret, weight: 2 } });
    const credential = data<{ addProviderCredential: { id: string; last4: string } }>(
      added,
    ).addProviderCredential;
    expect(credential).toMatchObject({ last4: secret.slice(-4), weight: 2 });
    expect(added.text).not.toContain(secret);

    const listed = await call(LIST, {});
    expect(data<{ providerCredentials: unknown[] }>(listed).providerCredentials).toEqual([
      expect.objectContaining({ id: credential.id, provider: 'openai', label, baseUrl: null }),
    ]);
    expect(listed.text).not.toContain(secret);

    const records = (await controlRecords()).filter((r) => r.includes(credential.id));
    expect(records).toHaveLength(1);
    expect(records[0]).toContain(label);
    expect(records[0]).not.toContain(secret);
    expect(records[0]).not.toContain(secret.slice(8, 24));
    // What the record holds is that secret, sealed to this credential.
    const sealed = app.get(ControlPlane).current.providerCredentials.get(credential.id)!.secretEnc!;
    expect(app.get(ProviderSecrets).open(credential.id, sealed)).toEqual({ apiKey: secret });

    const files = logFiles();
    expect(files).toContain(label);
    expect(files).not.toContain(secret);
  });

  it('rotates to a new secret and is removed with it; neither secret reaches the log, the audit log or the server log', async () => {
    const first = newSecret();
    const second = newSecret();
    const id = data<{ addProviderCredential: { id: string } }>(
      await call(ADD, { input: { provider: 'anthropic', label: 'rotating', secret: first } }),
    ).addProviderCredential.id;

    const rotated = await call(ROTATE, { id, secret: second });
    expect(data<{ rotateProviderCredential: unknown }>(rotated).rotateProviderCredential).toMatchObject({
      id,
      last4: second.slice(-4),
      rotatedAt: expect.any(String),
    });
    expect(rotated.text).not.toContain(second);

    expect(
      data<{ removeProviderCredential: boolean }>(await call(REMOVE, { id })).removeProviderCredential,
    ).toBe(true);
    const listed = data<{ providerCredentials: { id: string }[] }>(await call(LIST, {})).providerCredentials;
    expect(listed.map((c) => c.id)).not.toContain(id);
    expect(app.get(ControlPlane).current.providerCredentials.get(id)?.secretEnc).toBeNull();

    const entries = await eventually(
      async () =>
        data<{ auditLog: { entries: { action: string; target: string }[] } }>(await call(AUDIT, {})),
      (d) => d.auditLog.entries.some((e) => e.action === 'provider-credential.removed'),
    );
    expect(entries.auditLog.entries.filter((e) => e.target === id).map((e) => e.action)).toEqual([
      'provider-credential.removed',
      'provider-credential.rotated',
      'provider-credential.added',
    ]);

    const everywhere = [...(await controlRecords()), logFiles(), JSON.stringify(entries), logged.join('')];
    for (const text of everywhere) {
      expect(text).not.toContain(first);
      expect(text).not.toContain(second);
    }
    expect(logged.join('')).toContain('GraphQL'); // the server did log (at verbose) while this ran
  });

  it('refuses a bad secret with a stable code, without quoting it', async () => {
    const refused = await call(ADD, {
      input: { provider: 'openai', label: 'bad', secret: 'sk-with a-space-inside-it' },
    });
    expect(refused.gql?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'invalid_secret',
    });
    expect(refused.text).not.toContain('a-space-inside-it');
    const unknown = await call(ROTATE, { id: 'pc_nowhere', secret: newSecret() });
    expect(unknown.gql?.errors?.[0]?.extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'credential_not_found',
    });
  });
});
