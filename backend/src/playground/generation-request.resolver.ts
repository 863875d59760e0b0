import { Inject } from '@nestjs/common';
import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { ChatMessage, GenerationRequested } from '@sightline/schemas';
import { EventArchive } from '../archive/event-archive';
import { CallerResolver } from '../auth/caller';
import { callerOf } from '../auth/graphql-caller';
import { NotFoundError } from '../common/errors';
import type { GraphqlContext } from '../graphql/graphql-context';

/** No archived request has that id in the caller's project (or it is past retention). */
export class GenerationNotFoundError extends NotFoundError {
  // The id is not echoed: an error must read the same whether or not another project has it.
  constructor() {
    super('No recorded request of that generation in this project', 'generation_not_found');
  }
}

/** A recorded message in the Chat Completions wire shape the playground sends back to the gateway. */
export function toWireMessage(m: ChatMessage): Record<string, unknown> {
  return {
    role: m.role,
    content: m.content,
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.toolCallId !== undefined ? { tool_call_id: m.toolCallId } : {}),
    ...(m.toolCalls?.length ? { tool_calls: m.toolCalls } : {}),
  };
}

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
    @Inject(EventArchive) private readonly archive: EventArchive,
  ) {}

  @Query('generationRequest')
  async generationRequest(
    @Args('projectId') projectId: string | null,
    @Args('id') id: string,
    @Context() context: GraphqlContext,
  ) {
    const access = this.callers.authorize(callerOf(this.callers, context), projectId, 'member');
    const [request] = await this.archive.findRequests([{ projectId: access.projectId, spanId: id }]);
    if (!request) throw new GenerationNotFoundError();
    return shown(request);
  }
}
