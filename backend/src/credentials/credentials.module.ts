import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { CREDENTIAL_COMMAND_HANDLERS } from './credentials.commands';
import { CredentialsResolver } from './credentials.resolver';
import { ProviderSecrets } from './provider-secrets';

/** A project's own provider credentials: stored sealed on the control plane, managed through GraphQL. */
@Module({
  imports: [CqrsModule],
  providers: [Clock, ProviderSecrets, ...CREDENTIAL_COMMAND_HANDLERS, CredentialsResolver],
  exports: [ProviderSecrets],
})
export class CredentialsModule {}
