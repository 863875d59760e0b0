import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from '../auth/commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from '../auth/commands/projects.commands';
import { RegisterUserCommand } from '../auth/commands/users.commands';
import { accountCommandsOn } from '../../test/support/accounts';
import { propagation } from '../../test/support/control-plane.suite';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';
import { SYSTEM } from './control-events';
import { ControlPlane } from './control-plane';
import { emptyControlState, evolve } from './control-state';

describe('control state', () => {
  it('given a created then revoked key, holds the revoked key; applying the events again changes nothing', async () => {
    const log = LmdbEventLog.open(join(mkdtempSync(join(tmpdir(), 'sightline-cs-')), 'log'));
    await log.ensureTopics(topicSpecs(1));
    const control = new ControlPlane(log);
    await control.onModuleInit();
    const seen: Parameters<typeof evolve>[1][] = [];
    control.onApplied((e) => seen.push(e));
    const commands = await accountCommandsOn(control);
    const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, 'o'));
    const user = await commands.execute(
      new RegisterUserCommand(SYSTEM, { email: 'A@Example.com', name: '', password: null }),
    );
    const project = await commands.execute(
      new CreateProjectCommand(SYSTEM, org.organizationId, 'p', user.userId),
    );
    const { key } = await commands.execute(new CreateApiKeyCommand(SYSTEM, project.projectId, 'k'));
    await commands.execute(new RevokeApiKeyCommand(SYSTEM, project.projectId, key.keyId));

    const once = seen.reduce(evolve, emptyControlState());
    const twice = [...seen, ...seen].reduce(evolve, emptyControlState());
    expect(once.apiKeys.get(key.keyId)?.revokedAt).not.toBeNull();
    expect(once.userIdsByEmail.get('a@example.com')).toBe(user.userId);
    expect(once.memberships.get(`${project.projectId}/${user.userId}`)?.role).toBe('owner');
    expect(twice).toEqual(once);
    await control.onModuleDestroy();
    await log.close();
  });
});

propagation('embedded lmdb, one log shared in process', async () => {
  const log = LmdbEventLog.open(join(mkdtempSync(join(tmpdir(), 'sightline-cp-')), 'log'));
  return [log, log];
});
