import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { ProjectRedaction } from './project-redaction';
import { SetRedactionHandler } from './redaction.commands';
import { RedactionResolver } from './redaction.resolver';

/**
 * Redaction rules per project (control-plane events, GraphQL, Settings → Redaction) and the
 * `ProjectRedaction` that recording and the gateway apply. Needs `ControlPlane` and `CallerResolver` (global).
 */
@Global()
@Module({
  imports: [CqrsModule],
  providers: [Clock, ProjectRedaction, RedactionResolver, SetRedactionHandler],
  exports: [ProjectRedaction],
})
export class RedactionModule {}
