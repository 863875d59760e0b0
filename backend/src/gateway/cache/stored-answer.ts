import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatChunkChoice,
} from '../../providers/wire/chat-completions';
import type { GenerationTap } from '../generation-tap';

/**
 * A whole answer as the hub's `chat.completion`, rebuilt from what the tap read (stream or not);
 * undefined unless every choice finished. `id` and `created` are set when it is replayed. Not kept:
 * logprobs and fields outside the hub's named ones.
 */
export function storedCompletion(tap: GenerationTap, model: string): ChatCompletion | undefined {
  const choices = tap.choices;
  if (choices.length === 0 || choices.some((choice) => choice.finishReason === null)) return undefined;
  return {
    id: '',
    object: 'chat.completion',
    created: 0,
    model,
    choices: choices.map((choice) => ({
      index: choice.index,
      message: {
        role: 'assistant',
        content: choice.content,
        ...(choice.refusal !== undefined ? { refusal: choice.refusal } : {}),
        ...(choice.reasoning !== undefined ? { reasoning_content: choice.reasoning } : {}),
        ...(choice.toolCalls.length
          ? {
              tool_calls: choice.toolCalls.map(({ id, name, arguments: args }) => ({
                id,
                type: 'function' as const,
                function: { name, arguments: args },
              })),
            }
          : {}),
      },
      finish_reason: choice.finishReason,
    })),
    ...(tap.usage ? { usage: tap.usage } : {}),
  };
}

/**
 * A stored answer as the stream a provider would have sent: per choice a role chunk, the content,
 * the refusal, the reasoning and the tool calls (each whole), then the finish reason; the usage
 * last in its own `choices: []` chunk, as OpenAI sends it with `include_usage`.
 */
export function replayChunks(completion: ChatCompletion): ChatCompletionChunk[] {
  const { choices, usage, object: _object, ...rest } = completion;
  const chunk = (choice: ChatChunkChoice | null): ChatCompletionChunk => ({
    ...rest,
    object: 'chat.completion.chunk',
    choices: choice ? [choice] : [],
  });
  const chunks: ChatCompletionChunk[] = [];
  for (const { index, message, finish_reason, logprobs } of choices) {
    const delta = (fields: ChatChunkChoice['delta']): ChatChunkChoice => ({
      index,
      delta: fields,
      finish_reason: null,
    });
    chunks.push(chunk(delta({ role: 'assistant', content: '' })));
    if (message.reasoning_content)
      chunks.push(chunk(delta({ reasoning_content: message.reasoning_content })));
    if (typeof message.content === 'string' && message.content !== '')
      chunks.push(chunk({ ...delta({ content: message.content }), ...(logprobs ? { logprobs } : {}) }));
    if (message.refusal) chunks.push(chunk(delta({ refusal: message.refusal })));
    if (message.tool_calls?.length) {
      const tool_calls = message.tool_calls.map((call, i) => ({ index: i, ...call }));
      chunks.push(chunk(delta({ tool_calls })));
    }
    chunks.push(chunk({ index, delta: {}, finish_reason }));
  }
  if (usage) chunks.push({ ...chunk(null), usage });
  return chunks;
}
