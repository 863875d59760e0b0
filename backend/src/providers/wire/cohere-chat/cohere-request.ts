/**
 * Requests between the hub (OpenAI Chat Completions) and Cohere Chat v2. The shapes are close:
 * messages, tools and tool calls keep OpenAI's function shape (snake_case), images stay `image_url`
 * parts (data: and http(s) URLs alike).
 *
 * - `top_p` ↔ `p`, `stop` ↔ `stop_sequences`, `max_tokens`/`max_completion_tokens` → `max_tokens`;
 * - an assistant turn's text beside tool calls ↔ `tool_plan` (Cohere's place for it);
 * - `tool_choice`: `required` ↔ `REQUIRED`, `none` ↔ `NONE`; a named function is sent as `REQUIRED`
 *   with only that tool defined (the same constraint); `strict` tools → `strict_tools`;
 * - `response_format`: `json_object` ↔ `{ type: 'json_object' }`, `json_schema` ↔ `{ type:
 *   'json_object', json_schema }`;
 * - `user` has no Cohere field and is not sent (Sightline records it); earlier turns'
 *   `reasoning_content` is not context (OpenAI ignores it too);
 * - anything else Cohere cannot express (`n > 1`, `top_logprobs`, `logit_bias`, audio...) → 400.
 */
import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessageWire,
  ChatTool,
  ChatToolCall,
} from '../chat-completions';
import {
  arrayAt,
  contentParts,
  defined,
  invalid,
  isRecord,
  maxTokens,
  recordAt,
  rejectParticipantName,
  rejectUnhandledFields,
  stopSequences,
  textOnly,
  unsupported,
  hubAssistantMessage,
} from '../translation-helpers';
import type { CohereChatRequest, CohereContentItem, CohereMessage, CohereTool } from './cohere-chat.types';

export const COHERE = 'Cohere Chat v2';
const HUB = 'OpenAI Chat Completions';

const HANDLED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logprobs',
  'tools',
  'tool_choice',
  'response_format',
  'user',
]);
const COHERE_ONLY = [
  'documents',
  'citation_options',
  'safety_mode',
  'k',
  'thinking',
  'priority',
  'raw_prompting',
];

/** Hub request → Cohere v2 body. */
export function toCohereRequest(request: ChatCompletionRequest): CohereChatRequest {
  rejectUnhandledFields(request, HANDLED, COHERE);
  const messages = request.messages.map((message, i) => cohereMessage(message, `messages.${i}`));
  const { tools, toolChoice } = toolsOf(request);
  return defined({
    model: request.model,
    messages,
    stream: request.stream ?? undefined,
    tools,
    strict_tools: request.tools?.some((t) => t.function.strict === true) || undefined,
    tool_choice: toolChoice,
    response_format: responseFormatOf(request.response_format),
    max_tokens: maxTokens(request),
    stop_sequences: stopSequences(request.stop),
    temperature: request.temperature,
    p: request.top_p,
    seed: request.seed,
    frequency_penalty: request.frequency_penalty as number | undefined,
    presence_penalty: request.presence_penalty as number | undefined,
    logprobs: request.logprobs === true ? true : undefined,
  }) as CohereChatRequest;
}

function cohereMessage(message: ChatMessageWire, param: string): CohereMessage {
  rejectParticipantName(message, param, COHERE);
  switch (message.role) {
    case 'system':
    case 'developer':
      return { role: 'system', content: textOnly(message.content, `${param}.content`, COHERE) };
    case 'user':
      return { role: 'user', content: userContent(message.content, `${param}.content`) };
    case 'assistant':
      return assistantMessage(message, param);
    case 'tool':
      if (!message.tool_call_id)
        throw invalid(`A tool message needs 'tool_call_id'`, `${param}.tool_call_id`);
      return {
        role: 'tool',
        tool_call_id: message.tool_call_id,
        content: textOnly(message.content, `${param}.content`, COHERE),
      };
    default:
      throw unsupported(`Role '${String(message.role)}'`, COHERE, `${param}.role`);
  }
}

function userContent(content: ChatMessageWire['content'], param: string): string | CohereContentItem[] {
  if (typeof content === 'string') return content;
  return contentParts(content).map((part, j) => {
    if (part.type === 'text') return { type: 'text', text: part.text ?? '' };
    if (part.type === 'image_url' && part.image_url) return { type: 'image_url', image_url: part.image_url };
    throw unsupported(`Content part '${part.type}'`, COHERE, `${param}.${j}`);
  });
}

function assistantMessage(message: ChatMessageWire, param: string): CohereMessage {
  const text = textOnly(message.content, `${param}.content`, COHERE) || message.refusal || '';
  const calls = message.tool_calls ?? [];
  if (calls.length === 0) return { role: 'assistant', content: text };
  return defined({
    role: 'assistant',
    tool_plan: text || undefined,
    tool_calls: calls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.function.name, arguments: call.function.arguments },
    })),
  }) as CohereMessage;
}

function toolsOf(request: ChatCompletionRequest): { tools?: CohereTool[]; toolChoice?: 'REQUIRED' | 'NONE' } {
  const all = (request.tools ?? []).map(cohereTool);
  const choice = request.tool_choice;
  const tools = all.length > 0 ? all : undefined;
  if (choice === undefined || choice === null || choice === 'auto') return { tools };
  if (choice === 'required') return { tools, toolChoice: 'REQUIRED' };
  if (choice === 'none') return { tools, toolChoice: 'NONE' };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    const named = all.filter((t) => t.function.name === (choice.function as { name: string }).name);
    if (named.length === 0)
      throw invalid(`tool_choice names a function that is not in 'tools'`, 'tool_choice');
    return { tools: named, toolChoice: 'REQUIRED' };
  }
  throw unsupported(`tool_choice ${JSON.stringify(choice)}`, COHERE, 'tool_choice');
}

function cohereTool(tool: ChatTool): CohereTool {
  const { name, description, parameters } = tool.function;
  return {
    type: 'function',
    function: defined({
      name,
      description,
      parameters: parameters ?? { type: 'object', properties: {} },
    }) as CohereTool['function'],
  };
}

function responseFormatOf(
  format: ChatCompletionRequest['response_format'],
): CohereChatRequest['response_format'] {
  if (!format) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    const spec = recordAt(format.json_schema, 'response_format.json_schema');
    return { type: 'json_object', json_schema: spec.schema ?? {} };
  }
  throw unsupported(`response_format '${format.type}'`, COHERE, 'response_format.type');
}

/** Cohere v2 body (as a caller would send it) → hub request. */
export function fromCohereRequest(body: unknown): ChatCompletionRequest {
  const request = recordAt(body, 'body');
  for (const field of COHERE_ONLY) {
    if (request[field] !== undefined && request[field] !== null) throw unsupported(`'${field}'`, HUB, field);
  }
  const strict = request.strict_tools === true;
  const tools = arrayAt(request.tools, 'tools').map((raw, i) => hubTool(raw, `tools.${i}`, strict));
  return defined({
    model: typeof request.model === 'string' ? request.model : '',
    messages: arrayAt(request.messages, 'messages').map((raw, i) => hubMessage(raw, `messages.${i}`)),
    stream: request.stream as boolean | undefined,
    tools: tools.length > 0 ? tools : undefined,
    tool_choice:
      request.tool_choice === 'REQUIRED' ? 'required' : request.tool_choice === 'NONE' ? 'none' : undefined,
    response_format: hubResponseFormat(request.response_format),
    max_tokens: request.max_tokens as number | undefined,
    stop: request.stop_sequences as string[] | undefined,
    temperature: request.temperature as number | undefined,
    top_p: request.p as number | undefined,
    seed: request.seed as number | undefined,
    frequency_penalty: request.frequency_penalty,
    presence_penalty: request.presence_penalty,
    logprobs: request.logprobs === true ? true : undefined,
  }) as ChatCompletionRequest;
}

function hubMessage(raw: unknown, param: string): ChatMessageWire {
  const message = recordAt(raw, param);
  switch (message.role) {
    case 'system':
      return { role: 'system', content: cohereText(message.content, `${param}.content`) };
    case 'user':
      return { role: 'user', content: hubUserContent(message.content, `${param}.content`) };
    case 'tool':
      return {
        role: 'tool',
        tool_call_id: String(message.tool_call_id),
        content: cohereText(message.content, `${param}.content`),
      };
    case 'assistant': {
      const calls = arrayAt(message.tool_calls, `${param}.tool_calls`) as ChatToolCall[];
      const text = cohereText(message.content, `${param}.content`) || String(message.tool_plan ?? '');
      return hubAssistantMessage(
        text,
        calls.map(({ id, type, function: f }) => ({ id, type, function: f })),
      );
    }
    default:
      throw invalid(`Unknown role '${String(message.role)}'`, `${param}.role`);
  }
}

/** Text of a Cohere content (a string or text items; `thinking` items are not context). */
function cohereText(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  return arrayAt(content, param)
    .map((item, j) => {
      const record = recordAt(item, `${param}.${j}`);
      if (record.type === 'thinking') return '';
      if (record.type !== 'text')
        throw unsupported(`Content item '${String(record.type)}'`, HUB, `${param}.${j}`);
      return String(record.text ?? '');
    })
    .join('');
}

function hubUserContent(content: unknown, param: string): string | ChatContentPart[] {
  if (typeof content === 'string') return content;
  return arrayAt(content, param).map((item, j) => {
    const record = recordAt(item, `${param}.${j}`);
    if (record.type === 'text') return { type: 'text', text: String(record.text ?? '') };
    if (record.type === 'image_url' && isRecord(record.image_url)) {
      return { type: 'image_url', image_url: record.image_url as { url: string; detail?: string } };
    }
    throw unsupported(`Content item '${String(record.type)}'`, HUB, `${param}.${j}`);
  });
}

function hubTool(raw: unknown, param: string, strict: boolean): ChatTool {
  const tool = recordAt(raw, param);
  const fn = recordAt(tool.function, `${param}.function`);
  return {
    type: 'function',
    function: defined({
      name: String(fn.name),
      description: fn.description as string | undefined,
      parameters: fn.parameters as Record<string, unknown> | undefined,
      strict: strict || undefined,
    }) as ChatTool['function'],
  };
}

function hubResponseFormat(raw: unknown): ChatCompletionRequest['response_format'] {
  if (!isRecord(raw)) return undefined;
  if (raw.type !== 'json_object') return { type: String(raw.type) };
  if (raw.json_schema === undefined) return { type: 'json_object' };
  return { type: 'json_schema', json_schema: { name: 'response', schema: raw.json_schema } };
}
