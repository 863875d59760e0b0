import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, ProjectModelState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { randomId } from '../control/credentials';
import type { ProjectModelInput } from '../control/decide/project-models';

export class AddProjectModelCommand extends Command<ProjectModelState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly model: ProjectModelInput,
  ) {
    super();
  }
}

@CommandHandler(AddProjectModelCommand)
export class AddProjectModelHandler
  extends ControlCommandHandler
  implements ICommandHandler<AddProjectModelCommand, ProjectModelState>
{
  async execute({ actor, projectId, model }: AddProjectModelCommand): Promise<ProjectModelState> {
    const modelId = randomId('pm');
    await this.append({ type: 'add-project-model', actor, now: this.clock.now(), projectId, modelId, model });
    return this.state.projectModels.get(modelId)!;
  }
}

export class RemoveProjectModelCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly modelId: string,
  ) {
    super();
  }
}

@CommandHandler(RemoveProjectModelCommand)
export class RemoveProjectModelHandler
  extends ControlCommandHandler
  implements ICommandHandler<RemoveProjectModelCommand, void>
{
  async execute({ actor, projectId, modelId }: RemoveProjectModelCommand): Promise<void> {
    await this.append({ type: 'remove-project-model', actor, now: this.clock.now(), projectId, modelId });
  }
}
