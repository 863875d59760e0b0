import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, CustomPriceState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { randomId } from '../control/credentials';
import type { CustomPriceInput } from '../control/decide/custom-prices';
import type { OnceRequest } from '../control/idempotency';

export class SetCustomPriceCommand extends Command<CustomPriceState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly price: CustomPriceInput,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(SetCustomPriceCommand)
export class SetCustomPriceHandler
  extends ControlCommandHandler
  implements ICommandHandler<SetCustomPriceCommand, CustomPriceState>
{
  execute({ actor, projectId, price, once }: SetCustomPriceCommand): Promise<CustomPriceState> {
    const priceId = randomId('cp');
    const command = {
      type: 'set-custom-price',
      actor,
      now: this.clock.now(),
      projectId,
      priceId,
      price,
    } as const;
    return this.appendOnce(once, command, (state) => state.customPrices.get(priceId)!);
  }
}

export class RemoveCustomPriceCommand extends Command<void> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly priceId: string,
  ) {
    super();
  }
}

@CommandHandler(RemoveCustomPriceCommand)
export class RemoveCustomPriceHandler
  extends ControlCommandHandler
  implements ICommandHandler<RemoveCustomPriceCommand, void>
{
  async execute({ actor, projectId, priceId }: RemoveCustomPriceCommand): Promise<void> {
    await this.append({ type: 'remove-custom-price', actor, now: this.clock.now(), projectId, priceId });
  }
}

export const CUSTOM_PRICE_COMMAND_HANDLERS = [SetCustomPriceHandler, RemoveCustomPriceHandler];
