import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GenerationRequested } from '@sightline/schemas';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { EventArchive } from '../archive/event-archive';
import { RecordedRequests, toWireMessage } from './recorded-requests';
import { toolSpansOf } from './recorded-tool-spans';

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** The request as GraphQL shows it; `trace` is kept for its field resolvers. */
function shown(event: GenerationRequested) {
  const { data } = event;
  return {
    trace: { projectId: event.projectId, traceId: event.traceId },
    generationId: event.spanId,
    model: data.model,
    provider: data.provider,
    messages: JSON.stringify(data.messages.map(toWireMessage)),
    params: JSON.stringify(data.params),
    tools: data.tools?.length ? json(data.tools) : null,
    responseFormat: json(data.responseFormat),
  };
}

@Resolver('GenerationRequest')
export class GenerationRequestResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(RecordedRequests) private readonly requests: RecordedRequests,
    @Inject(EventArchive) private readonly archive: EventArchive,
  ) {}

  @Query('generationRequest')
  async generationRequest(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'member');
    return shown(await this.requests.get(access.projectId, id));
  }

  /** Read from the request's own trace, in its own project (the parent was authorized). */
  @ResolveField('recordedToolResults')
  async recordedToolResults(@Parent() request: ReturnType<typeof shown>) {
    const { projectId, traceId } = request.trace;
    const spans = toolSpansOf(await this.archive.eventsOfTrace(projectId, traceId, ['span.recorded']));
    return spans.map((s) => ({
      name: s.name,
      toolCallId: s.toolCallId ?? null,
      output: typeof s.output === 'string' ? s.output : JSON.stringify(s.output),
    }));
  }
}
