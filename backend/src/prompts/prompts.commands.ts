import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, PromptVersionState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { promptKey } from '../control/control-state';
import type { PromptVersionInput } from '../control/decide/prompts';
import type { OnceRequest } from '../control/idempotency';

export class CreatePromptVersionCommand extends Command<PromptVersionState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly prompt: PromptVersionInput,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(CreatePromptVersionCommand)
export class CreatePromptVersionHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreatePromptVersionCommand, PromptVersionState>
{
  execute({ actor, projectId, prompt, once }: CreatePromptVersionCommand): Promise<PromptVersionState> {
    const command = {
      type: 'create-prompt-version',
      actor,
      now: this.clock.now(),
      projectId,
      prompt,
    } as const;
    // Appends of one prompt are serialised by the control plane: the newest is ours.
    return this.appendOnce(once, command, (state) =>
      state.promptVersions.get(promptKey(projectId, prompt.name))!.last()!,
    );
  }
}

export class SetPromptLabelCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly name: string,
    readonly label: string,
    readonly version: number | null,
  ) {
    super();
  }
}

@CommandHandler(SetPromptLabelCommand)
export class SetPromptLabelHandler
  extends ControlCommandHandler
  implements ICommandHandler<SetPromptLabelCommand, void>
{
  async execute({ actor, projectId, name, label, version }: SetPromptLabelCommand): Promise<void> {
    await this.append({
      type: 'set-prompt-label',
      actor,
      now: this.clock.now(),
      projectId,
      name,
      label,
      version,
    });
  }
}

export const PROMPT_COMMAND_HANDLERS = [CreatePromptVersionHandler, SetPromptLabelHandler];
