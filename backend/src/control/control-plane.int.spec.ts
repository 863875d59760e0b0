import { getEventListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from '../auth/commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from '../auth/commands/projects.commands';
import { RegisterUserCommand } from '../auth/commands/users.commands';
import { accountCommandsOn } from '../../test/support/accounts';
import { propagation } from '../../test/support/control-plane.suite';
import { Clock } from '../common/clock';
import { ConflictError } from '../common/errors';
import { Random } from '../common/random';
import { AppendConflictError } from '../eventlog/event-log';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';
import { SYSTEM } from './control-events';
import { backoffMs, ControlPlane } from './control-plane';
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

/** Records the waits asked for and returns at once. */
class RecordingClock extends Clock {
  readonly slept: number[] = [];
  override sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    return Promise.resolve();
  }
}

/** Really waits (a few ms, so waits overlap) and notes the most abort listeners a waited-on signal had. */
class ListenerCountingClock extends Clock {
  readonly signals = new Set<AbortSignal>();
  mostListeners = 0;
  waits = 0;
  override sleep(_ms: number, signal: AbortSignal): Promise<void> {
    this.waits++;
    this.signals.add(signal);
    const waited = super.sleep(20, signal);
    this.mostListeners = Math.max(this.mostListeners, getEventListeners(signal, 'abort').length);
    return waited;
  }
}

describe('lost appends', () => {
  const halfway = { next: () => 0.5 } as Random;

  it('backoffMs: full jitter under a cap that doubles per attempt, from 40 ms', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, 0.5))).toEqual([20, 40, 80, 160]);
    expect(backoffMs(1, 0)).toBe(0);
    expect(backoffMs(3, 0.999)).toBeLessThan(160);
  });

  async function controlLosing(races: number, clock: Clock = new RecordingClock()) {
    const log = LmdbEventLog.open(join(mkdtempSync(join(tmpdir(), 'sightline-lost-')), 'log'));
    await log.ensureTopics(topicSpecs(1));
    const appendExpecting = log.appendExpecting.bind(log);
    let lost = 0;
    jest.spyOn(log, 'appendExpecting').mockImplementation(async (topic, end, records) => {
      if (lost++ < races) throw new AppendConflictError(topic, end);
      return appendExpecting(topic, end, records);
    });
    const control = new ControlPlane(log, undefined, clock, halfway);
    await control.onModuleInit();
    const commands = await accountCommandsOn(control);
    const done = () => control.onModuleDestroy().then(() => log.close());
    return { commands, clock: clock as RecordingClock, done };
  }

  it('given two lost appends, waits a jittered backoff through the clock after each, then lands', async () => {
    const { commands, clock, done } = await controlLosing(2);
    const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, 'o'));
    expect(org.organizationId).toBeTruthy();
    expect(clock.slept).toEqual([20, 40]);
    await done();
  });

  it('given 30 commands backing off at once, adds no abort listener to a shared signal; none is left after', async () => {
    const clock = new ListenerCountingClock();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const { commands, done } = await controlLosing(30, clock);
    await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) => commands.execute(new CreateOrganizationCommand(SYSTEM, `o${i}`))),
    );
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(clock.waits).toBeGreaterThanOrEqual(30);
    expect(clock.mostListeners).toBe(1);
    const left = [...clock.signals].map((signal) => getEventListeners(signal, 'abort').length);
    expect(Math.max(...left)).toBe(0);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    await done();
  });

  it('given every attempt lost, refuses busy after 5 decisions and 4 waits', async () => {
    const { commands, clock, done } = await controlLosing(5);
    const refused = commands.execute(new CreateOrganizationCommand(SYSTEM, 'o'));
    await expect(refused).rejects.toBeInstanceOf(ConflictError);
    await expect(refused).rejects.toMatchObject({ reason: 'busy' });
    expect(clock.slept).toEqual([20, 40, 80, 160]);
    await done();
  });
});

propagation('embedded lmdb, one log shared in process', async () => {
  const log = LmdbEventLog.open(join(mkdtempSync(join(tmpdir(), 'sightline-cp-')), 'log'));
  return [log, log];
});
