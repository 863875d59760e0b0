import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, ApiKeyState } from '@sightline/schemas';
import { newApiKey } from '../../control/credentials';
import type { OnceRequest } from '../../control/idempotency';
import { ControlCommandHandler } from './control-command';

/** A new key for the project; `full` is its secret, shown once and stored only as a hash. */
export interface CreatedApiKey {
  readonly key: ApiKeyState;
  readonly full: string;
}

export class CreateApiKeyCommand extends Command<CreatedApiKey> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly name: string,
    readonly once?: OnceRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateApiKeyCommand)
export class CreateApiKeyHandler
  extends ControlCommandHandler
  implements ICommandHandler<CreateApiKeyCommand, CreatedApiKey>
{
  execute({ actor, projectId, name, once }: CreateApiKeyCommand): Promise<CreatedApiKey> {
    const { keyId, secretHash, preview, full } = newApiKey();
    const now = this.clock.now();
    return this.appendOnce(
      once,
      { type: 'create-api-key', actor, now, projectId, name, keyId, secretHash, preview },
      (state) => ({ key: state.apiKeys.get(keyId)!, full }),
    );
  }
}

export class RevokeApiKeyCommand extends Command<ApiKeyState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly keyId: string,
  ) {
    super();
  }
}

@CommandHandler(RevokeApiKeyCommand)
export class RevokeApiKeyHandler
  extends ControlCommandHandler
  implements ICommandHandler<RevokeApiKeyCommand, ApiKeyState>
{
  async execute({ actor, projectId, keyId }: RevokeApiKeyCommand): Promise<ApiKeyState> {
    await this.append({ type: 'revoke-api-key', actor, now: this.clock.now(), projectId, keyId });
    return this.state.apiKeys.get(keyId)!;
  }
}
