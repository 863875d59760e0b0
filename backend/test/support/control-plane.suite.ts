import { randomBytes } from 'node:crypto';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from '../../src/auth/commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import type { EventLog } from '../../src/eventlog/event-log';
import { topicSpecs } from '../../src/eventlog/topics';
import { accountCommandsOn } from './accounts';
import { eventually } from './events';
import { ConflictError } from '../../src/common/errors';
import { controlEvent, SYSTEM } from '../../src/control/control-events';
import { ControlPlane, type ControlDecision } from '../../src/control/control-plane';
import type { ControlState } from '../../src/control/control-state';

/** Creates organization `name` unless one has that name: a rule that allows one winner. */
function claim(name: string) {
  return (state: ControlState): ControlDecision<string> => {
    if (state.organizations.some((o) => o.name === name)) {
      throw new ConflictError(`${name} is taken`, 'taken');
    }
    const data = {
      organizationId: `org_${randomBytes(6).toString('hex')}`,
      name,
      createdAt: new Date().toISOString(),
    };
    const event = controlEvent(SYSTEM, new Date(), {
      type: 'organization.created',
      entityKey: `organization:${data.organizationId}`,
      projectId: null,
      data,
    });
    return { events: [event], result: data.organizationId };
  };
}

const named = (control: ControlPlane, name: string) =>
  control.current.organizations.filter((o) => o.name === name).size;

/** Two instances on one log: what one appends, the other applies within a second. */
/** Two control planes on `open`'s logs; run by control-plane.int.spec.ts and control-plane.kafka.spec.ts. */
export function propagation(name: string, open: () => Promise<EventLog[]>) {
  describe(`control plane across instances (${name})`, () => {
    let logs: EventLog[];
    let one: ControlPlane;
    let two: ControlPlane;

    beforeAll(async () => {
      logs = await open();
      await Promise.all(logs.map((l) => l.ensureTopics(topicSpecs(1))));
      one = new ControlPlane(logs[0]);
      two = new ControlPlane(logs[1]);
      await one.onModuleInit();
      await two.onModuleInit();
    }, 60_000);
    afterAll(async () => {
      await one?.onModuleDestroy();
      await two?.onModuleDestroy();
      await Promise.all((logs ?? []).map((l) => l.close()));
    });

    it('a key revoked on one instance is refused by the other within a second', async () => {
      const commands = await accountCommandsOn(one);
      const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, 'o'));
      const user = await commands.execute(
        new RegisterUserCommand(SYSTEM, { email: `u${Date.now()}@example.com`, name: '', password: null }),
      );
      const project = await commands.execute(
        new CreateProjectCommand(SYSTEM, org.organizationId, 'p', user.userId),
      );
      const { key } = await commands.execute(new CreateApiKeyCommand(SYSTEM, project.projectId, 'k'));
      await eventually(
        async () => two.current.apiKeys.get(key.keyId),
        (k) => !!k,
        5000,
      );

      await commands.execute(new RevokeApiKeyCommand(SYSTEM, project.projectId, key.keyId));
      const revokedAt = Date.now();
      await eventually(
        async () => two.current.apiKeys.get(key.keyId)?.revokedAt,
        (r) => !!r,
        1000,
      );
      expect(Date.now() - revokedAt).toBeLessThan(1000);
    });

    it('two instances racing to claim one name: exactly one wins, the other gets a conflict', async () => {
      const name = `claim-${randomBytes(4).toString('hex')}`;
      const race = await Promise.allSettled([one.execute(claim(name)), two.execute(claim(name))]);
      const won = race.filter((r) => r.status === 'fulfilled');
      const lost = race.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConflictError);
      expect(lost[0]).toMatchObject({ kind: 'conflict' });
      await eventually(
        async () => [named(one, name), named(two, name)],
        (counts) => counts.every((n) => n === 1),
        5000,
      );
    });

    it('an instance behind the log catches up and decides again on the newer state', async () => {
      const name = `late-${randomBytes(4).toString('hex')}`;
      await one.execute(claim(name));
      const seen: boolean[] = [];
      const result = await two.execute((state) => {
        seen.push(state.organizations.some((o) => o.name === name));
        return claim(`${name}-2`)(state);
      });
      expect(result).toMatch(/^org_/);
      expect(seen[seen.length - 1]).toBe(true);
      await expect(two.execute(claim(name))).rejects.toMatchObject({ kind: 'conflict', reason: 'taken' });
    });

    it('a new instance rebuilds the same state from the topic', async () => {
      const third = new ControlPlane(logs[1]);
      await third.onModuleInit();
      try {
        expect([...third.current.apiKeys.keys()].sort()).toEqual([...one.current.apiKeys.keys()].sort());
        expect(third.current.apiKeys).toEqual(one.current.apiKeys);
      } finally {
        await third.onModuleDestroy();
      }
    });
  });
}
