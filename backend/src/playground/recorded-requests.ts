import { Inject, Injectable } from '@nestjs/common';
import type { ChatMessage, GenerationRequested } from '@sightline/schemas';
import { EventArchive } from '../archive/event-archive';
import { NotFoundError } from '../common/errors';

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

/** The requests generations were made with, as recorded in the event archive (playground, replay). */
@Injectable()
export class RecordedRequests {
  constructor(@Inject(EventArchive) private readonly archive: EventArchive) {}

  /** @throws GenerationNotFoundError when `generationId` (a span id) has no archived request in the project. */
  async get(projectId: string, generationId: string): Promise<GenerationRequested> {
    const [request] = await this.archive.findRequests([{ projectId, spanId: generationId }]);
    if (!request) throw new GenerationNotFoundError();
    return request;
  }
}
