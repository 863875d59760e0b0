import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import { CredentialSource } from '../providers/credentials';
import { EnvCredentialSource } from '../providers/env-credentials';
import { ProvidersModule } from '../providers/providers.module';
import { CREDENTIAL_COMMAND_HANDLERS } from './credentials.commands';
import { CredentialsResolver } from './credentials.resolver';
import { ProjectCredentialSource } from './project-credential-source';
import { ProviderSecrets } from './provider-secrets';
import { TestProviderCredentialHandler } from './test-credential.command';

/**
 * A project's own provider credentials: stored sealed on the control plane, managed through
 * GraphQL, and the `CredentialSource` every gateway call draws from (the project's over the instance's).
 */
@Global()
@Module({
  imports: [CqrsModule, ProvidersModule],
  providers: [
    Clock,
    ProviderSecrets,
    ...CREDENTIAL_COMMAND_HANDLERS,
    CredentialsResolver,
    TestProviderCredentialHandler,
    {
      provide: ProjectCredentialSource,
      inject: [ControlPlane, ProviderSecrets, AppConfig],
      useFactory: (control: ControlPlane, secrets: ProviderSecrets, config: AppConfig) =>
        new ProjectCredentialSource(control, secrets, new EnvCredentialSource(config.providerCredentials)),
    },
    { provide: CredentialSource, useExisting: ProjectCredentialSource },
  ],
  exports: [CredentialSource],
})
export class CredentialsModule {}
