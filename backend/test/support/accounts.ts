import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { randomBytes, randomUUID } from 'node:crypto';
import { ACCOUNT_COMMAND_HANDLERS } from '../../src/auth/commands/account-commands';
import { CreateApiKeyCommand } from '../../src/auth/commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from '../../src/auth/commands/projects.commands';
import { RegisterUserCommand } from '../../src/auth/commands/users.commands';
import { PasswordHasher } from '../../src/auth/password-hasher';
import { Passwords } from '../../src/auth/passwords';
import { Clock } from '../../src/common/clock';
import { SYSTEM } from '../../src/control/control-events';
import { ControlPlane } from '../../src/control/control-plane';
import { Idempotency } from '../../src/control/idempotent-mutations';
import { SecretBox } from '../../src/security/secret-box';

const box = new SecretBox(randomBytes(32));

/**
 * The accounts commands on `control` alone, without the rest of the app: the real command bus and
 * handlers, a real password hasher (or `hasher`) and a fresh secret box.
 */
export async function accountCommandsOn(
  control: ControlPlane,
  hasher = new PasswordHasher(),
): Promise<CommandBus> {
  @Module({
    imports: [CqrsModule],
    providers: [
      ...ACCOUNT_COMMAND_HANDLERS,
      Passwords,
      Clock,
      { provide: ControlPlane, useValue: control },
      Idempotency,
      { provide: PasswordHasher, useValue: hasher },
      { provide: SecretBox, useValue: box },
    ],
  })
  class AccountCommandsOnly {}
  const context = await NestFactory.createApplicationContext(AccountCommandsOnly, { logger: false });
  return context.get(CommandBus);
}

/** A fresh user, organization, project and API key, through the real commands. */
export async function createTestProject(app: INestApplication, label = 'test') {
  const commands = app.get(CommandBus);
  const suffix = randomUUID().slice(0, 8);
  const user = await commands.execute(
    new RegisterUserCommand(SYSTEM, {
      email: `${label}-${suffix}@example.com`,
      name: label,
      password: `password-${suffix}`,
    }),
  );
  const org = await commands.execute(new CreateOrganizationCommand(SYSTEM, `${label} org`));
  const project = await commands.execute(
    new CreateProjectCommand(SYSTEM, org.organizationId, `${label} ${suffix}`, user.userId),
  );
  const { full } = await commands.execute(new CreateApiKeyCommand(SYSTEM, project.projectId, `${label} key`));
  return {
    user,
    password: `password-${suffix}`,
    organizationId: org.organizationId,
    projectId: project.projectId,
    apiKey: full,
  };
}
