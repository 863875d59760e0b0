import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor, ProviderCredentialState } from '@sightline/schemas';
import { ControlCommandHandler } from '../auth/commands/control-command';
import { Clock } from '../common/clock';
import { ControlPlane } from '../control/control-plane';
import { randomId } from '../control/credentials';
import {
  last4Of,
  requireSecret,
  type ProviderSecret,
  type ProviderSettings,
} from '../control/decide/provider-credentials';
import { ProviderSecrets } from './provider-secrets';

/** What an admin types to add a credential; `secret` is sealed before anything else sees it. */
export interface NewProviderCredential {
  readonly provider: string;
  readonly label: string;
  readonly secret: ProviderSecret;
  readonly baseUrl: string | null;
  readonly settings: ProviderSettings;
  readonly weight: number;
}

/** Handlers that seal secrets before the control plane decides. */
abstract class CredentialCommandHandler extends ControlCommandHandler {
  constructor(
    @Inject(ControlPlane) control: ControlPlane,
    @Inject(Clock) clock: Clock,
    @Inject(ProviderSecrets) protected readonly secrets: ProviderSecrets,
  ) {
    super(control, clock);
  }

  protected credential(credentialId: string): ProviderCredentialState {
    return this.state.providerCredentials.get(credentialId)!;
  }

  /** The secret as typed, checked for what `provider` needs, sealed to the credential, and its last 4 characters. */
  protected seal(provider: string, credentialId: string, typed: ProviderSecret) {
    const secret = requireSecret(provider, typed);
    return { secretEnc: this.secrets.seal(credentialId, secret), last4: last4Of(secret.apiKey) };
  }
}

export class AddProviderCredentialCommand extends Command<ProviderCredentialState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly credential: NewProviderCredential,
  ) {
    super();
  }
}

@CommandHandler(AddProviderCredentialCommand)
export class AddProviderCredentialHandler
  extends CredentialCommandHandler
  implements ICommandHandler<AddProviderCredentialCommand, ProviderCredentialState>
{
  async execute({ actor, projectId, credential }: AddProviderCredentialCommand) {
    const { secret, ...rest } = credential;
    const credentialId = randomId('pc');
    const sealed = this.seal(credential.provider, credentialId, secret);
    const now = this.clock.now();
    await this.append({
      type: 'add-provider-credential',
      actor,
      now,
      projectId,
      credentialId,
      ...sealed,
      ...rest,
    });
    return this.credential(credentialId);
  }
}

export class RotateProviderCredentialCommand extends Command<ProviderCredentialState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly credentialId: string,
    readonly secret: ProviderSecret,
  ) {
    super();
  }
}

@CommandHandler(RotateProviderCredentialCommand)
export class RotateProviderCredentialHandler
  extends CredentialCommandHandler
  implements ICommandHandler<RotateProviderCredentialCommand, ProviderCredentialState>
{
  async execute({ actor, projectId, credentialId, secret }: RotateProviderCredentialCommand) {
    // An unknown id is refused by the decision; its provider only matters for what the secret needs.
    const provider = this.state.providerCredentials.get(credentialId)?.provider ?? '';
    const sealed = this.seal(provider, credentialId, secret);
    const now = this.clock.now();
    await this.append({ type: 'rotate-provider-credential', actor, now, projectId, credentialId, ...sealed });
    return this.credential(credentialId);
  }
}

export class RemoveProviderCredentialCommand extends Command<ProviderCredentialState> {
  constructor(
    readonly actor: Actor,
    readonly projectId: string,
    readonly credentialId: string,
  ) {
    super();
  }
}

@CommandHandler(RemoveProviderCredentialCommand)
export class RemoveProviderCredentialHandler
  extends CredentialCommandHandler
  implements ICommandHandler<RemoveProviderCredentialCommand, ProviderCredentialState>
{
  async execute({ actor, projectId, credentialId }: RemoveProviderCredentialCommand) {
    await this.append({
      type: 'remove-provider-credential',
      actor,
      now: this.clock.now(),
      projectId,
      credentialId,
    });
    return this.credential(credentialId);
  }
}

export const CREDENTIAL_COMMAND_HANDLERS = [
  AddProviderCredentialHandler,
  RotateProviderCredentialHandler,
  RemoveProviderCredentialHandler,
];
