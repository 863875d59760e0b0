import { randomBytes } from 'node:crypto';
import type { CommandBus } from '@nestjs/cqrs';
import { AcceptInviteCommand, CreateInviteCommand } from '../../src/auth/commands/invites.commands';
import {
  CreateOrganizationCommand,
  CreateProjectCommand,
  SetRoleCommand,
} from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { ConflictError, InvalidInputError } from '../../src/common/errors';
import { AppendConflictError, type EventLog } from '../../src/eventlog/event-log';
import { topicSpecs } from '../../src/eventlog/topics';
import { accountCommandsOn } from './accounts';
import { eventually } from './events';
import { SYSTEM } from '../../src/control/control-events';
import { ControlPlane } from '../../src/control/control-plane';
import type { ControlState } from '../../src/control/control-state';
import { roleIn } from '../../src/control/decide/authority';

/** Password hashes that wait for `parties` hashes in all: the sign-ups then decide at the same moment. */
class LockstepHasher extends PasswordHasher {
  private waiting: (() => void)[] = [];

  constructor(private readonly parties: number) {
    super();
  }

  override async hash(password: string): Promise<string> {
    const hash = await super.hash(password);
    await new Promise<void>((release) => {
      this.waiting.push(release);
      if (this.waiting.length === this.parties) this.waiting.splice(0).forEach((r) => r());
    });
    return hash;
  }
}

/** Exactly one of `race` won; returns what the other was refused with. */
function oneWinner(race: PromiseSettledResult<unknown>[]): unknown {
  expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = race.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  expect(lost).toHaveLength(1);
  return lost[0];
}

const owners = (state: ControlState, projectId: string): number =>
  state.memberships.filter((m) => m.projectId === projectId && m.role === 'owner').size;

/**
 * Two instances decide on the same state at the same moment and both append: the log takes the
 * append made at the version its decision saw, refuses the other, whose instance catches up and
 * decides again on the newer state, where the rule refuses it.
 */
/** The control-plane race rules on `open`'s two logs; run by races.int.spec.ts and races.kafka.spec.ts. */
export function races(name: string, open: () => Promise<EventLog[]>) {
  describe(`control-plane races (${name})`, () => {
    let logs: EventLog[];
    let instances: ControlPlane[];
    let conflicts = 0;

    beforeAll(async () => {
      logs = await open();
      await Promise.all(logs.map((l) => l.ensureTopics(topicSpecs(1))));
      for (const log of new Set(logs)) {
        const appendExpecting = log.appendExpecting.bind(log);
        jest.spyOn(log, 'appendExpecting').mockImplementation(async (...args) => {
          try {
            return await appendExpecting(...args);
          } catch (error) {
            if (error instanceof AppendConflictError) conflicts++;
            throw error;
          }
        });
      }
      instances = logs.map((log) => new ControlPlane(log));
      for (const control of instances) await control.onModuleInit();
    }, 60_000);
    afterAll(async () => {
      for (const control of instances ?? []) await control.onModuleDestroy();
      await Promise.all([...new Set(logs ?? [])].map((l) => l.close()));
    });

    /** The accounts commands on each instance, all hashing with `hasher`. */
    const commandsOn = (hasher = new PasswordHasher()) =>
      Promise.all(instances.map((control) => accountCommandsOn(control, hasher)));
    const bothSee = (seen: (state: ControlState) => boolean) =>
      eventually(
        async () => instances.every((c) => seen(c.current)),
        (all) => all,
        5000,
      );
    const email = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.com`;

    async function projectOwnedBy(commands: CommandBus, ...userIds: string[]) {
      const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, 'race org'));
      const { projectId } = await commands.execute(
        new CreateProjectCommand(SYSTEM, org.organizationId, 'race', userIds[0]),
      );
      for (const userId of userIds.slice(1))
        await commands.execute(new SetRoleCommand(SYSTEM, projectId, userId, 'owner'));
      return projectId;
    }

    it('the last two owners leave at once: one leaves, the other stays owner (last_owner)', async () => {
      const [one, two] = await commandsOn();
      const ids = await Promise.all(
        ['olga', 'omar'].map(
          async (label) =>
            (
              await one.execute(
                new RegisterUserCommand(SYSTEM, { email: email(label), name: label, password: null }),
              )
            ).userId,
        ),
      );
      const projectId = await projectOwnedBy(one, ...ids);
      await bothSee((s) => owners(s, projectId) === 2);
      const before = conflicts;

      const race = await Promise.allSettled([
        one.execute(new SetRoleCommand({ userId: ids[0], via: 'session' }, projectId, ids[0], null)),
        two.execute(new SetRoleCommand({ userId: ids[1], via: 'session' }, projectId, ids[1], null)),
      ]);

      const refused = oneWinner(race);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(refused).toMatchObject({ kind: 'conflict', reason: 'last_owner' });
      expect(conflicts).toBeGreaterThan(before);
      await bothSee((s) => owners(s, projectId) === 1);
    });

    it('two sign-ups race for one email-bound invite: one account joins, the other is refused', async () => {
      const [one, two] = await commandsOn(new LockstepHasher(2));
      const owner = await one.execute(
        new RegisterUserCommand(SYSTEM, { email: email('owner'), name: 'o', password: null }),
      );
      const projectId = await projectOwnedBy(one, owner.userId);
      const invited = email('invited');
      const asOwner = { userId: owner.userId, via: 'session' } as const;
      const { token, invite } = await one.execute(
        new CreateInviteCommand(asOwner, projectId, 'member', invited),
      );
      await bothSee((s) => s.invites.has(invite.inviteId));
      const before = conflicts;

      const race = await Promise.allSettled(
        [one, two].map((commands) =>
          commands.execute(
            new AcceptInviteCommand(token, { email: invited, name: 'n', password: 'a long password' }),
          ),
        ),
      );

      const refused = oneWinner(race);
      expect(refused).toBeInstanceOf(InvalidInputError);
      expect(refused).toMatchObject({ reason: 'invite_invalid' });
      expect(conflicts).toBeGreaterThan(before);
      await bothSee((s) => s.invites.get(invite.inviteId)?.acceptedBy === s.userIdsByEmail.get(invited));
      const joined = instances[1].current.userIdsByEmail.get(invited)!;
      expect(roleIn(instances[1].current, projectId, joined)).toBe('member');
      const accounts = instances[1].current.users.filter((u) => u.email === invited);
      expect(accounts.size).toBe(1);
    });
  });
}
