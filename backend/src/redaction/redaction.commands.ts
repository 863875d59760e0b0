import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, RedactionSettingsState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import type { RedactionInput } from '../control/decide/redaction';

export class SetRedactionCommand extends Command<RedactionSettingsState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly settings: RedactionInput,
  ) {
    super();
  }
}

@CommandHandler(SetRedactionCommand)
export class SetRedactionHandler
  extends ControlCommandHandler
  implements ICommandHandler<SetRedactionCommand, RedactionSettingsState>
{
  async execute({ actor, projectId, settings }: SetRedactionCommand): Promise<RedactionSettingsState> {
    await this.append({ type: 'set-redaction', actor, now: this.clock.now(), projectId, settings });
    return this.state.redaction.get(projectId)!;
  }
}
