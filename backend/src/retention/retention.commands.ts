import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, ProjectRetentionState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';

/** Set how many days a project keeps its LLM data (null: for ever); undefined when never set. */
export class SetRetentionCommand extends Command<ProjectRetentionState | undefined> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly days: number | null,
  ) {
    super();
  }
}

@CommandHandler(SetRetentionCommand)
export class SetRetentionHandler
  extends ControlCommandHandler
  implements ICommandHandler<SetRetentionCommand, ProjectRetentionState | undefined>
{
  async execute({ actor, projectId, days }: SetRetentionCommand): Promise<ProjectRetentionState | undefined> {
    await this.append({ type: 'set-retention', actor, now: this.clock.now(), projectId, days });
    return this.state.retention.get(projectId);
  }
}
