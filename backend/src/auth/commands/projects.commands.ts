import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type {
  Actor,
  DataDeletionScope,
  MembershipState,
  OrganizationState,
  ProjectState,
  Role,
} from '@sightline/schemas';
import { randomId } from '../../control/credentials';
import { roleIn } from '../../control/decide/authority';
import { ControlCommandHandler } from './control-command';

export class CreateOrganizationCommand extends Command<OrganizationState> {
  constructor(
    readonly actor: Actor,
    readonly name: string,
  ) {
    super();
  }
}

@CommandHandler(CreateOrganizationCommand)
export class CreateOrganizationHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateOrganizationCommand, OrganizationState>
{
  async execute({ actor, name }: CreateOrganizationCommand): Promise<OrganizationState> {
    const organizationId = randomId('org');
    await this.append({ type: 'create-organization', actor, now: this.clock.now(), organizationId, name });
    return this.state.organizations.get(organizationId)!;
  }
}

/** A new project with `ownerId` as its owner. */
export class CreateProjectCommand extends Command<ProjectState> {
  constructor(
    readonly actor: Actor,
    readonly organizationId: string,
    readonly name: string,
    readonly ownerId: string,
  ) {
    super();
  }
}

@CommandHandler(CreateProjectCommand)
export class CreateProjectHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateProjectCommand, ProjectState>
{
  async execute({ actor, organizationId, name, ownerId }: CreateProjectCommand): Promise<ProjectState> {
    const projectId = randomId('prj');
    const now = this.clock.now();
    await this.append({ type: 'create-project', actor, now, projectId, organizationId, name, ownerId });
    return this.state.projects.get(projectId)!;
  }
}

/** Change a member's role, or remove them (`role` null). */
export class SetRoleCommand extends Command<MembershipState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly userId: string,
    readonly role: Role | null,
  ) {
    super();
  }
}

@CommandHandler(SetRoleCommand)
export class SetRoleHandler
  extends ControlCommandHandler
  implements ICommandHandler<SetRoleCommand, MembershipState>
{
  async execute({ actor, projectId, userId, role }: SetRoleCommand): Promise<MembershipState> {
    await this.append({ type: 'set-role', actor, now: this.clock.now(), projectId, userId, role });
    return { projectId, userId, role: roleIn(this.state, projectId, userId) };
  }
}

/** Tombstone a trace, an end user (`target`: its id) or the whole project. */
export class DeleteDataCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly scope: DataDeletionScope,
    readonly target: string,
  ) {
    super();
  }
}

@CommandHandler(DeleteDataCommand)
export class DeleteDataHandler
  extends ControlCommandHandler
  implements ICommandHandler<DeleteDataCommand, void>
{
  async execute({ actor, projectId, scope, target }: DeleteDataCommand): Promise<void> {
    await this.append({ type: 'delete-data', actor, now: this.clock.now(), projectId, scope, target });
  }
}

/** Rename a project (admins). */
export class RenameProjectCommand extends Command<ProjectState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly name: string,
  ) {
    super();
  }
}

@CommandHandler(RenameProjectCommand)
export class RenameProjectHandler
  extends ControlCommandHandler
  implements ICommandHandler<RenameProjectCommand, ProjectState>
{
  async execute({ actor, projectId, name }: RenameProjectCommand): Promise<ProjectState> {
    await this.append({ type: 'rename-project', actor, now: this.clock.now(), projectId, name });
    return this.state.projects.get(projectId)!;
  }
}
