import type { ChatCompletionRequest, ChatContentPart, ChatMessageWire } from '../chat-completions';
import { invalid, isObject, pick, present, unsupported, type Json } from './checks';

const SAME_NAME = {
  model: 'model',
  stream: 'stream',
  temperature: 'temperature',
  top_p: 'top_p',
  parallel_tool_calls: 'parallel_tool_calls',
  user: 'user',
  metadata: 'metadata',
  service_tier: 'service_tier',
  safety_identifier: 'safety_identifier',
  prompt_cache_key: 'prompt_cache_key',
  top_logprobs: 'top_logprobs',
} as const;

/** Chat parameters the Responses API has no equivalent for. */
const NO_EQUIVALENT = [
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'audio',
  'modalities',
  'prediction',
  'web_search_options',
  'functions',
  'function_call',
] as const;

/** Handled here or meaningless on the Responses wire (usage is always streamed). */
const HANDLED = new Set<string>([
  ...Object.keys(SAME_NAME),
  ...NO_EQUIVALENT,
  'messages',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'logprobs',
  'store',
]);

/**
 * The hub request → a Responses API body, for a model only served through `/v1/responses`.
 * Messages become input items (tool calls → `function_call`, tool results → `function_call_output`),
 * tools are flattened, `response_format` moves to `text.format`. Nothing is stored at OpenAI
 * (`store: false`) unless the caller asked. `n > 1`, `stop`, `seed`, penalties, audio and unknown
 * fields throw `unsupported_feature`.
 */
export function chatRequestToResponses(request: ChatCompletionRequest): Json {
  for (const key of NO_EQUIVALENT) if (present(request[key])) throw unsupported(`'${key}'`, key);
  if (present(request.n) && request.n !== 1) throw unsupported('`n` > 1 (several choices)', 'n');
  const unknown = Object.keys(request).find((key) => !HANDLED.has(key) && present(request[key]));
  if (unknown !== undefined) throw unsupported(`'${unknown}'`, unknown);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  return {
    ...pick(request, SAME_NAME),
    input: request.messages.flatMap((message, i) => inputItems(message, `messages[${i}]`)),
    ...(present(maxTokens) ? { max_output_tokens: maxTokens } : {}),
    ...(request.tools
      ? { tools: request.tools.map((tool) => ({ type: 'function', ...tool.function })) }
      : {}),
    ...toolChoice(request.tool_choice),
    ...text(request),
    ...(present(request.reasoning_effort) ? { reasoning: { effort: request.reasoning_effort } } : {}),
    ...(request.logprobs === true ? { include: ['message.output_text.logprobs'] } : {}),
    store: request.store === true,
  };
}

function inputItems(message: ChatMessageWire, at: string): Json[] {
  switch (message.role) {
    case 'system':
    case 'developer':
    case 'user':
      return [{ role: message.role, content: inputContent(message.content, `${at}.content`) }];
    case 'assistant': {
      const items: Json[] = [];
      const text = assistantText(message.content, `${at}.content`);
      if (text !== '') items.push({ role: 'assistant', content: text });
      for (const call of message.tool_calls ?? [])
        items.push({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        });
      return items;
    }
    case 'tool': {
      if (typeof message.tool_call_id !== 'string')
        throw invalid(`'${at}.tool_call_id' must be a string`, `${at}.tool_call_id`);
      const output =
        typeof message.content === 'string'
          ? message.content
          : inputContent(message.content, `${at}.content`);
      return [{ type: 'function_call_output', call_id: message.tool_call_id, output }];
    }
    default:
      throw unsupported(`Message role '${String(message.role)}'`, `${at}.role`);
  }
}

function inputContent(content: ChatMessageWire['content'], at: string): string | Json[] {
  if (typeof content === 'string') return content;
  if (!present(content)) return '';
  return (content as readonly ChatContentPart[]).map((part, j) => inputPart(part, `${at}[${j}]`));
}

function inputPart(part: ChatContentPart, at: string): Json {
  switch (part.type) {
    case 'text':
      return { type: 'input_text', text: part.text ?? '' };
    case 'image_url':
      return {
        type: 'input_image',
        image_url: part.image_url?.url,
        detail: part.image_url?.detail ?? 'auto',
      };
    case 'file':
      return { type: 'input_file', ...(isObject(part.file) ? part.file : {}) };
    default:
      throw unsupported(`Content part '${part.type}'`, `${at}.type`);
  }
}

function assistantText(content: ChatMessageWire['content'], at: string): string {
  if (typeof content === 'string') return content;
  if (!present(content)) return '';
  return (content as readonly ChatContentPart[])
    .map((part, j) => {
      if (part.type !== 'text')
        throw unsupported(`Assistant content part '${part.type}'`, `${at}[${j}].type`);
      return part.text ?? '';
    })
    .join('');
}

function toolChoice(choice: unknown): Json {
  if (!present(choice)) return {};
  if (typeof choice === 'string') return { tool_choice: choice };
  if (isObject(choice) && isObject(choice.function))
    return { tool_choice: { type: 'function', name: choice.function.name } };
  throw unsupported('This tool_choice', 'tool_choice');
}

function text(request: ChatCompletionRequest): Json {
  const format = request.response_format;
  const verbosity = present(request.verbosity) ? { verbosity: request.verbosity } : {};
  if (!present(format)) return present(request.verbosity) ? { text: verbosity } : {};
  if (format?.type === 'json_schema')
    return { text: { ...verbosity, format: { type: 'json_schema', ...format.json_schema } } };
  if (format?.type === 'text' || format?.type === 'json_object')
    return { text: { ...verbosity, format: { type: format.type } } };
  throw unsupported(`response_format of type '${String(format?.type)}'`, 'response_format.type');
}
