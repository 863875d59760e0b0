import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountsService } from '../auth/accounts.service';
import { PasswordHasher } from '../auth/password-hasher';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { SYSTEM } from '../control/control-events';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { ProjectorService } from '../projector/projector.service';
import { SecretBox } from '../security/secret-box';
import { eventually, generationEvents } from '../../test/support/events';
import { PurgerService } from './purger.service';

describe('deleting data: purged now, still gone after re-reading the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-erasure-'));
  let log: LmdbEventLog;
  let control: ControlPlane;
  let accounts: AccountsService;
  let projectId: string;

  const withEndUser = (events: SightlineEvent[], endUserId: string) =>
    events.map((e) => ({ ...e, endUserId }));
  const spans = { kept: generationEvents('x'), trace: generationEvents('x'), alice: generationEvents('x') };

  async function project(ch: ClickHouse, group: string) {
    const projector = new ProjectorService(log, ch, control, { groupSuffix: group });
    await projector.onApplicationBootstrap();
    return projector;
  }

  const traces = async (ch: ClickHouse, table: string) =>
    (
      await ch.query<{ trace_id: string }>(
        'SELECT DISTINCT trace_id FROM {table:Identifier} WHERE project_id = {p:String} ORDER BY trace_id',
        { table, p: projectId },
      )
    ).map((r) => r.trace_id);

  beforeAll(async () => {
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(3));
    control = new ControlPlane(log);
    await control.onModuleInit();
    accounts = new AccountsService(
      control,
      new PasswordHasher(),
      new SecretBox(randomBytes(32)),
      new Clock(),
    );
    const org = await accounts.createOrganization(SYSTEM, 'org');
    const owner = await accounts.registerUser(SYSTEM, {
      email: 'owner@example.com',
      name: 'o',
      password: null,
    });
    projectId = (await accounts.createProject(SYSTEM, org.organizationId, 'p', owner.userId)).projectId;
    const inProject = (events: SightlineEvent[]) => events.map((e) => ({ ...e, projectId }));
    const all = [
      ...inProject(spans.kept),
      ...inProject(spans.trace),
      ...withEndUser(inProject(spans.alice), 'alice'),
    ];
    await log.append(
      TOPICS.llm,
      all.map((e) => ({ key: e.traceId, value: encodeEvent(e) })),
    );
  });
  afterAll(async () => {
    await control.onModuleDestroy();
    await log.close();
  });

  it('removes a trace and an end user from the read models, and a rebuild does not bring them back', async () => {
    const expected = [spans.kept[0].traceId].sort();
    const { ch } = await openClickHouse({ database: 'default', dataDir: join(dir, 'live') });
    const projector = await project(ch, 'live');
    const purger = new PurgerService(control, ch);
    purger.onApplicationBootstrap();
    try {
      await eventually(
        () => traces(ch, 'generations'),
        (t) => t.length === 3,
      );
      await accounts.deleteData(SYSTEM, projectId, 'trace', spans.trace[0].traceId);
      await accounts.deleteData(SYSTEM, projectId, 'end-user', 'alice');
      await purger.idle();
      expect(await traces(ch, 'generations')).toEqual(expected);
      expect(await traces(ch, 'events')).toEqual(expected);
    } finally {
      purger.onModuleDestroy();
      await projector.onModuleDestroy();
      await ch.close();
    }

    // Rebuild: fresh tables, a new consumer group, the whole log from offset 0.
    const { ch: rebuilt } = await openClickHouse({ database: 'default', dataDir: join(dir, 'rebuild') });
    const rebuilder = await project(rebuilt, 'rebuild');
    try {
      await eventually(
        () => traces(rebuilt, 'generations'),
        (t) => t.length >= 1,
      );
      await new Promise((r) => setTimeout(r, 300)); // let it pass over the rest of the log
      expect(await traces(rebuilt, 'generations')).toEqual(expected);
      expect(await traces(rebuilt, 'events')).toEqual(expected);
    } finally {
      await rebuilder.onModuleDestroy();
      await rebuilt.close();
    }
  });
});
