import type { ChatCompletion, ChatMessageWire, ChatToolCall, ChatUsage } from '../chat-completions';
import { invalid, isObject, type Json } from './checks';
import { reasoningText } from './request-to-chat';
import type { OutputItem, OutputText, ResponseObject, ResponsesUsage } from './responses-wire';

/**
 * A Responses API `response` object → the hub answer (one choice). Output text parts join into
 * `content` (citations into `annotations`), `function_call` items become `tool_calls` (id =
 * `call_id`), reasoning becomes `reasoning_content`; `incomplete` maps to `length` or `content_filter`.
 */
export function responseToChatCompletion(body: unknown): ChatCompletion {
  if (!isObject(body) || !Array.isArray(body.output))
    throw invalid('Not a Responses API response object', null);
  let content: string | null = null;
  let refusal: string | null = null;
  let reasoning = '';
  const annotations: unknown[] = [];
  const logprobs: unknown[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const item of body.output as unknown[]) {
    if (!isObject(item)) continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content as unknown[]) {
        if (!isObject(part)) continue;
        if (part.type === 'output_text' && typeof part.text === 'string') {
          const offset = (content ?? '').length;
          content = (content ?? '') + part.text;
          if (Array.isArray(part.annotations))
            annotations.push(...part.annotations.map((a) => toChatAnnotation(a, offset)));
          if (Array.isArray(part.logprobs)) logprobs.push(...(part.logprobs as unknown[]));
        } else if (part.type === 'refusal' && typeof part.refusal === 'string')
          refusal = (refusal ?? '') + part.refusal;
      }
    } else if (item.type === 'function_call') {
      toolCalls.push({
        id: String(item.call_id),
        type: 'function',
        function: { name: String(item.name), arguments: String(item.arguments ?? '') },
      });
    } else if (item.type === 'reasoning') reasoning += reasoningText(item);
  }
  const message: ChatMessageWire = {
    role: 'assistant',
    content,
    refusal,
    ...(annotations.length > 0 ? { annotations } : {}),
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
  };
  return {
    id: String(body.id),
    object: 'chat.completion',
    created: typeof body.created_at === 'number' ? body.created_at : 0,
    model: String(body.model),
    choices: [
      {
        index: 0,
        message,
        finish_reason: finishReason(body, toolCalls.length > 0),
        logprobs: logprobs.length > 0 ? { content: logprobs, refusal: null } : null,
      },
    ],
    usage: isObject(body.usage) ? toChatUsage(body.usage) : null,
    ...(typeof body.service_tier === 'string' ? { service_tier: body.service_tier } : {}),
  };
}

function finishReason(body: Json, toolCalls: boolean): string {
  if (body.status === 'incomplete') {
    const reason = isObject(body.incomplete_details) ? body.incomplete_details.reason : undefined;
    return reason === 'content_filter' ? 'content_filter' : 'length';
  }
  return toolCalls ? 'tool_calls' : 'stop';
}

/** Responses citations are flat (`{ type, url, title, start_index, end_index }`); chat nests them. */
function toChatAnnotation(annotation: unknown, offset: number): unknown {
  if (!isObject(annotation) || annotation.type !== 'url_citation') return annotation;
  const { type, start_index: start, end_index: end, ...rest } = annotation;
  return {
    type,
    url_citation: { ...rest, start_index: Number(start) + offset, end_index: Number(end) + offset },
  };
}

function fromChatAnnotation(annotation: unknown): unknown {
  if (!isObject(annotation) || annotation.type !== 'url_citation' || !isObject(annotation.url_citation))
    return annotation;
  return { type: 'url_citation', ...annotation.url_citation };
}

export function toChatUsage(usage: Json): ChatUsage {
  const input = Number(usage.input_tokens ?? 0);
  const output = Number(usage.output_tokens ?? 0);
  const inputDetails = isObject(usage.input_tokens_details) ? usage.input_tokens_details : {};
  const outputDetails = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: Number(usage.total_tokens ?? input + output),
    prompt_tokens_details: { cached_tokens: Number(inputDetails.cached_tokens ?? 0) },
    completion_tokens_details: { reasoning_tokens: Number(outputDetails.reasoning_tokens ?? 0) },
  };
}

export function fromChatUsage(usage: ChatUsage): ResponsesUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  };
}

/** Ids derived from the hub answer's (pure: no random ids). */
export function responseId(completionId: string): string {
  return completionId.startsWith('resp_') ? completionId : `resp_${completionId}`;
}

/**
 * The hub answer (first choice) → a Responses API `response` object: reasoning item, message item
 * (output_text with annotations, or refusal), then one `function_call` item per tool call.
 */
export function chatCompletionToResponse(completion: ChatCompletion): ResponseObject {
  const choice = completion.choices[0];
  const message = choice?.message ?? { role: 'assistant' };
  const id = responseId(completion.id);
  const output: OutputItem[] = [];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '')
    output.push({
      type: 'reasoning',
      id: `rs_${id}`,
      summary: [],
      content: [{ type: 'reasoning_text', text: message.reasoning_content }],
    });
  const parts: (OutputText | { type: 'refusal'; refusal: string })[] = [];
  if (typeof message.content === 'string' && message.content !== '') {
    const annotations = Array.isArray(message.annotations) ? message.annotations.map(fromChatAnnotation) : [];
    const logprobs =
      isObject(choice?.logprobs) && Array.isArray(choice.logprobs.content)
        ? { logprobs: choice.logprobs.content }
        : {};
    parts.push({ type: 'output_text', text: message.content, annotations, ...logprobs });
  }
  if (typeof message.refusal === 'string' && message.refusal !== '')
    parts.push({ type: 'refusal', refusal: message.refusal });
  const status =
    choice?.finish_reason === 'length' || choice?.finish_reason === 'content_filter'
      ? 'incomplete'
      : 'completed';
  if (parts.length > 0)
    output.push({ type: 'message', id: `msg_${id}`, role: 'assistant', status, content: parts });
  for (const call of message.tool_calls ?? [])
    output.push({
      type: 'function_call',
      id: `fc_${call.id}`,
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
      status: 'completed',
    });
  return responseObject(
    completion,
    output,
    status,
    completion.usage ? fromChatUsage(completion.usage) : null,
    choice?.finish_reason ?? null,
  );
}

/** The response envelope; request echo fields the hub answer does not carry take the API's defaults. */
export function responseObject(
  head: {
    readonly id: string;
    readonly created: number;
    readonly model: string;
    readonly service_tier?: string | null;
  },
  output: readonly OutputItem[],
  status: ResponseObject['status'],
  usage: ResponsesUsage | null,
  finish: string | null,
): ResponseObject {
  return {
    id: responseId(head.id),
    object: 'response',
    created_at: head.created,
    status,
    error: null,
    incomplete_details:
      status === 'incomplete'
        ? { reason: finish === 'content_filter' ? 'content_filter' : 'max_output_tokens' }
        : null,
    instructions: null,
    max_output_tokens: null,
    model: head.model,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage,
    metadata: {},
    ...(head.service_tier ? { service_tier: head.service_tier } : {}),
  };
}
