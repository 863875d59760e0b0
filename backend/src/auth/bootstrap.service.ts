import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { SYSTEM } from '../control/control-events';
import { CommandBus } from '@nestjs/cqrs';
import { CreateApiKeyCommand } from './commands/api-keys.commands';
import { CreateOrganizationCommand, CreateProjectCommand } from './commands/projects.commands';
import { CreateLoginLinkCommand } from './commands/sessions.commands';
import { RegisterUserCommand } from './commands/users.commands';

export interface FirstStart {
  readonly adminEmail: string;
  readonly loginUrl: string;
  readonly projectId: string;
  readonly apiKey: string;
}

/**
 * The first start of an empty instance creates an admin, a default project and its first API key,
 * and prints a one-time login link and the key: shown once, never a default password.
 */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger('FirstStart');
  firstStart: FirstStart | undefined;

  constructor(
    @Inject(ControlPlane) private readonly control: ControlPlane,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Called by `createApp` once the app is initialised, not from a lifecycle hook: the command bus
   * registers its handlers in its own bootstrap hook, which may run after ours.
   */
  async run(): Promise<void> {
    if (this.control.current.users.size > 0 || !this.config.roles.has('api')) return;
    const admin = await this.commands.execute(
      new RegisterUserCommand(SYSTEM, { email: this.config.adminEmail, name: 'Admin', password: null }),
    );
    const org = await this.commands.execute(new CreateOrganizationCommand(SYSTEM, 'Default organization'));
    const project = await this.commands.execute(
      new CreateProjectCommand(SYSTEM, org.organizationId, 'Default project', admin.userId),
    );
    const { full } = await this.commands.execute(
      new CreateApiKeyCommand(SYSTEM, project.projectId, 'First key'),
    );
    const token = await this.commands.execute(new CreateLoginLinkCommand(SYSTEM, admin.userId));
    const loginUrl = `${this.config.publicUrl}/auth/link/${token}`;
    this.firstStart = { adminEmail: admin.email, loginUrl, projectId: project.projectId, apiKey: full };
    // Printed once, straight to the console (not the logger), so they never reach log files by accident of level.
    process.stdout.write(
      [
        '',
        '  Sightline first start — shown once, keep them safe:',
        `  • sign in as ${admin.email} (valid 24 h, one use): ${loginUrl}`,
        `  • API key for "${project.name}": ${full}`,
        `    curl ${this.config.publicUrl}/v1/chat/completions -H 'authorization: Bearer ${full}' \\`,
        `      -H 'content-type: application/json' -d '{"model":"mock-1","messages":[{"role":"user","content":"hello"}]}'`,
        '',
      ].join('\n') + '\n',
    );
    this.logger.log('created the admin user, the default project and its first API key');
  }
}
