import type { ChatChunk, ChatResult } from '../providers/provider';
import type { Usage } from '@sightline/schemas';

/** Sightline's results in OpenAI's Chat Completions wire format. */

function openAiUsage(usage: Usage) {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

export function completionBody(id: string, model: string, created: number, result: ChatResult) {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: result.content,
          ...(result.toolCalls?.length ? { tool_calls: result.toolCalls } : {}),
        },
        finish_reason: result.finishReason,
      },
    ],
    usage: openAiUsage(result.usage),
  };
}

/** The SSE `data:` payloads for one provider chunk (a usage chunk is separate, as OpenAI sends it). */
export function chunkBodies(
  id: string,
  model: string,
  created: number,
  chunk: ChatChunk,
  first: boolean,
  includeUsage: boolean,
) {
  const base = { id, object: 'chat.completion.chunk', created, model };
  const bodies: object[] = [];
  if (chunk.contentDelta !== undefined || chunk.toolCallsDelta || chunk.finishReason || first) {
    const delta = {
      ...(first ? { role: 'assistant' } : {}),
      ...(chunk.contentDelta !== undefined ? { content: chunk.contentDelta } : {}),
      ...(chunk.toolCallsDelta ? { tool_calls: chunk.toolCallsDelta } : {}),
    };
    bodies.push({ ...base, choices: [{ index: 0, delta, finish_reason: chunk.finishReason ?? null }] });
  }
  if (chunk.usage && includeUsage) bodies.push({ ...base, choices: [], usage: openAiUsage(chunk.usage) });
  return bodies;
}
