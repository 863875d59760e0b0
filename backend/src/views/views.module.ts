import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Clock } from '../common/clock';
import { VIEW_COMMAND_HANDLERS } from './views.commands';
import { ViewsResolver } from './views.resolver';

/**
 * Saved views of the traces list (control-plane events `view.saved` / `view.deleted`, GraphQL).
 * Needs `ControlPlane` and `CallerResolver` (global).
 */
@Module({
  imports: [CqrsModule],
  providers: [Clock, ViewsResolver, ...VIEW_COMMAND_HANDLERS],
})
export class ViewsModule {}
