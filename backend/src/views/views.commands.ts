import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, SavedViewState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { randomId } from '../control/credentials';
import type { ViewInput } from '../control/decide/views';
import type { OnceRequest } from '../control/idempotency';

/** A new view (`viewId` null) or view `viewId` replaced whole. */
export class SaveViewCommand extends Command<SavedViewState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly viewId: string | null,
    readonly view: ViewInput,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(SaveViewCommand)
export class SaveViewHandler
  extends ControlCommandHandler
  implements ICommandHandler<SaveViewCommand, SavedViewState>
{
  execute({ actor, projectId, viewId, view, once }: SaveViewCommand): Promise<SavedViewState> {
    const id = viewId ?? randomId('view');
    const now = this.clock.now();
    return this.appendOnce(
      once,
      viewId
        ? { type: 'update-view', actor, now, projectId, viewId: id, view }
        : { type: 'create-view', actor, now, projectId, viewId: id, view },
      (state) => state.views.get(id)!,
    );
  }
}

export class RenameViewCommand extends Command<SavedViewState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly viewId: string,
    readonly name: string,
  ) {
    super();
  }
}

@CommandHandler(RenameViewCommand)
export class RenameViewHandler
  extends ControlCommandHandler
  implements ICommandHandler<RenameViewCommand, SavedViewState>
{
  async execute({ actor, projectId, viewId, name }: RenameViewCommand): Promise<SavedViewState> {
    await this.append({ type: 'rename-view', actor, now: this.clock.now(), projectId, viewId, name });
    return this.state.views.get(viewId)!;
  }
}

export class DeleteViewCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly viewId: string,
  ) {
    super();
  }
}

@CommandHandler(DeleteViewCommand)
export class DeleteViewHandler
  extends ControlCommandHandler
  implements ICommandHandler<DeleteViewCommand, void>
{
  async execute({ actor, projectId, viewId }: DeleteViewCommand): Promise<void> {
    await this.append({ type: 'delete-view', actor, now: this.clock.now(), projectId, viewId });
  }
}

export const VIEW_COMMAND_HANDLERS = [SaveViewHandler, RenameViewHandler, DeleteViewHandler];
