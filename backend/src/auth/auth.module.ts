import { Global, Logger, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditLogHandler } from '../audit/audit-log.query';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { loadMasterKey } from '../security/master-key';
import { LoginThrottle } from '../security/login-throttle';
import { SecretBox } from '../security/secret-box';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { AuthController } from './auth.controller';
import { BootstrapService } from './bootstrap.service';
import { CallerResolver } from './caller';
import { ACCOUNT_COMMAND_HANDLERS } from './commands/account-commands';
import { PasswordHasher } from './password-hasher';
import { Passwords } from './passwords';
import { SessionCodec } from './session-cookie';

function secretBox(config: AppConfig): SecretBox {
  // Distributed instances must share one key (sessions, encrypted secrets), so only the embedded default may generate it.
  const loaded = loadMasterKey({
    env: { SIGHTLINE_SECRET_KEY: config.secretKey },
    production: config.production || !config.embedded,
    dataDir: config.dataDir,
  });
  new Logger('Secrets').log(`master key from ${loaded.source}${loaded.path ? ` (${loaded.path})` : ''}`);
  return new SecretBox(loaded.key);
}

/** Who may do what: one mechanism for the gateway, GraphQL (HTTP and graphql-ws) and REST. */
@Global()
@Module({
  imports: [CqrsModule],
  controllers: [AuthController],
  providers: [
    { provide: SecretBox, inject: [AppConfig], useFactory: secretBox },
    {
      provide: SessionCodec,
      inject: [SecretBox],
      useFactory: (box: SecretBox) => new SessionCodec(box.deriveKey('session-cookie')),
    },
    { provide: LoginThrottle, useFactory: () => new LoginThrottle() },
    Clock,
    PasswordHasher,
    Passwords,
    AccountsService,
    ...ACCOUNT_COMMAND_HANDLERS,
    CallerResolver,
    AccountsResolver,
    AuditLogHandler,
    BootstrapService,
  ],
  exports: [CallerResolver, AccountsService, SecretBox],
})
export class AuthModule {}
