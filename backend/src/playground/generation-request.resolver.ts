import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { GenerationRequested } from '@sightline/schemas';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import type { GraphqlContext } from '../graphql/graphql-context';
import { RecordedRequests, toWireMessage } from './recorded-requests';

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

function shown(event: GenerationRequested) {
  const { data } = event;
  return {
    generationId: event.spanId,
    model: data.model,
    provider: data.provider,
    messages: JSON.stringify(data.messages.map(toWireMessage)),
    params: JSON.stringify(data.params),
    tools: data.tools?.length ? json(data.tools) : null,
    responseFormat: json(data.responseFormat),
  };
}

@Resolver()
export class GenerationRequestResolver {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(RecordedRequests) private readonly requests: RecordedRequests,
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
}
