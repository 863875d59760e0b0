import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { PromptVersions } from './prompt-versions';
import { PROMPT_COMMAND_HANDLERS } from './prompts.commands';
import { PromptsController } from './prompts.controller';
import { PromptsResolver } from './prompts.resolver';

/** Prompts as control-plane state: GraphQL, the REST read for apps, and `PromptVersions` for the gateway. */
@Module({
  imports: [CqrsModule],
  controllers: [PromptsController],
  providers: [Clock, PromptVersions, PromptsResolver, ...PROMPT_COMMAND_HANDLERS],
  exports: [PromptVersions],
})
export class PromptsModule {}
