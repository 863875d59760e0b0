import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventArchive } from '../archive/event-archive';
import { CountTracesHandler } from './count-traces.query';
import { GetGroupHandler, ListGroupsHandler, ListGroupTracesHandler } from './group-queries';
import { ListScoresHandler } from './score-list.query';
import { ListSpansHandler } from './span-list.query';
import { SessionsResolver, UsersResolver } from './groups.resolver';
import { GetTraceHandler, ListTracesHandler } from './trace-queries';
import { TraceDetailResolver } from './trace-detail.resolver';
import { TracesResolver } from './traces.resolver';

/** The read side of traces for the `api` role. */
@Module({
  imports: [CqrsModule],
  providers: [
    EventArchive,
    TracesResolver,
    TraceDetailResolver,
    ListTracesHandler,
    ListSpansHandler,
    ListScoresHandler,
    GetTraceHandler,
    CountTracesHandler,
    SessionsResolver,
    UsersResolver,
    ListGroupsHandler,
    GetGroupHandler,
    ListGroupTracesHandler,
  ],
})
export class TracesModule {}
