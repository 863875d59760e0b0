import { encodeEvent, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandBus } from '@nestjs/cqrs';
import {
  CreateOrganizationCommand,
  CreateProjectCommand,
  DeleteDataCommand,
} from '../auth/commands/projects.commands';
import { RegisterUserCommand } from '../auth/commands/users.commands';
import { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { ControlPlane } from '../control/control-plane';
import { SYSTEM } from '../control/control-events';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from '../eventlog/topics';
import { ProjectorService } from '../projector/projector.service';
import { accountCommandsOn } from '../../test/support/accounts';
import { eventually, generationEvents } from '../../test/support/events';
import { PurgerService } from './purger.service';

describe('deleting data: purged now, still gone after re-reading the log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-erasure-'));
  let log: LmdbEventLog;
  let control: ControlPlane;
  let commands: CommandBus;
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
    commands = await accountCommandsOn(control);
    const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, 'org'));
    const owner = await commands.execute(
      new RegisterUserCommand(SYSTEM, { email: 'owner@example.com', name: 'o', password: null }),
    );
    const project = await commands.execute(
      new CreateProjectCommand(SYSTEM, org.organizationId, 'p', owner.userId),
    );
    projectId = project.projectId;
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
      await commands.execute(new DeleteDataCommand(SYSTEM, projectId, 'trace', spans.trace[0].traceId));
      await commands.execute(new DeleteDataCommand(SYSTEM, projectId, 'end-user', 'alice'));
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
