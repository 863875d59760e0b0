import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessageWire,
  ChatTool,
  ChatToolCall,
} from '../chat-completions';
import { invalid, isObject, optionalString, pick, present, unsupported, type Json } from './checks';

/** Request fields copied under the same name (the hub has them too). */
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
  max_output_tokens: 'max_completion_tokens',
} as const;

/** Responses-only state and server-side features: no other provider can honour them. */
const STATEFUL = {
  previous_response_id: '`previous_response_id` (conversation state stored by OpenAI)',
  conversation: '`conversation` (conversation state stored by OpenAI)',
  prompt: '`prompt` (a prompt template stored by OpenAI)',
  context_management: '`context_management`',
  moderation: '`moderation`',
  prompt_cache_options: '`prompt_cache_options`',
  prompt_cache_retention: '`prompt_cache_retention`',
} as const;

const HANDLED = new Set([
  ...Object.keys(SAME_NAME),
  ...Object.keys(STATEFUL),
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'text',
  'reasoning',
  'store',
  'background',
  'truncation',
  'include',
  'top_logprobs',
  'stream_options',
]);

/**
 * A Responses API request body → the hub request. `instructions` becomes the first (system)
 * message; message items, `function_call` and `function_call_output` items become chat messages;
 * function tools are nested back under `function`. State kept by OpenAI (`previous_response_id`,
 * `store: true`, `conversation`, `background`), built-in tools and unknown fields throw
 * `InvalidInputError` (`unsupported_feature`) naming them.
 */
export function responsesToChatRequest(body: unknown): ChatCompletionRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object', null);
  if (typeof body.model !== 'string' || body.model === '')
    throw invalid("Missing required parameter: 'model'.", 'model');
  for (const [key, feature] of Object.entries(STATEFUL))
    if (present(body[key])) throw unsupported(feature, key);
  if (body.store === true) throw unsupported('`store: true` (responses stored by OpenAI)', 'store');
  if (body.background === true) throw unsupported('`background` mode', 'background');
  if (body.truncation === 'auto') throw unsupported("`truncation: 'auto'`", 'truncation');
  const unknown = Object.keys(body).find((key) => !HANDLED.has(key) && present(body[key]));
  if (unknown !== undefined) throw unsupported(`'${unknown}'`, unknown);

  const instructions = optionalString(body, 'instructions');
  const messages = [
    ...(instructions !== undefined ? [{ role: 'system' as const, content: instructions }] : []),
    ...inputMessages(body.input),
  ];
  if (messages.length === 0) throw invalid("Missing required parameter: 'input'.", 'input');
  return {
    ...(pick(body, SAME_NAME) as { model: string }),
    messages,
    ...(body.stream === true ? { stream_options: { include_usage: true } } : {}),
    ...tools(body),
    ...textFormat(body.text),
    ...reasoning(body.reasoning),
    ...logprobs(body),
  };
}

function inputMessages(input: unknown): ChatMessageWire[] {
  if (input === undefined || input === null) return [];
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw invalid("'input' must be a string or an array of items", 'input');
  const messages: ChatMessageWire[] = [];
  /** Consecutive function calls (and the text before them) form one assistant turn. */
  const lastAssistant = (): ChatMessageWire | undefined => {
    const last = messages.at(-1);
    return last?.role === 'assistant' ? last : undefined;
  };
  input.forEach((item: unknown, i) => {
    const at = `input[${i}]`;
    if (!isObject(item)) throw invalid(`'${at}' must be an object`, at);
    const type = item.type ?? 'message';
    switch (type) {
      case 'message':
        messages.push(message(item, at));
        return;
      case 'function_call': {
        const call = functionCall(item, at);
        const turn = lastAssistant();
        if (turn) messages[messages.length - 1] = { ...turn, tool_calls: [...(turn.tool_calls ?? []), call] };
        else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        return;
      }
      case 'function_call_output':
        messages.push(functionOutput(item, at));
        return;
      case 'reasoning': {
        // The hub carries reasoning as text on the assistant turn; encrypted content is OpenAI's alone.
        const text = reasoningText(item);
        if (text === '') return;
        messages.push({ role: 'assistant', content: null, reasoning_content: text });
        return;
      }
      default:
        throw unsupported(`Input item type '${String(type)}'`, `${at}.type`);
    }
  });
  return messages;
}

function message(item: Json, at: string): ChatMessageWire {
  const role = item.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system' && role !== 'developer')
    throw invalid(`'${at}.role' must be one of user, assistant, system, developer`, `${at}.role`);
  const content = item.content;
  if (typeof content === 'string') return { role, content };
  if (!Array.isArray(content))
    throw invalid(`'${at}.content' must be a string or an array of parts`, `${at}.content`);
  if (role === 'assistant') return assistantMessage(content, at);
  return { role, content: content.map((part: unknown, j) => inputPart(part, `${at}.content[${j}]`)) };
}

/** An earlier answer given back as input: output_text parts join into the content, refusals into `refusal`. */
function assistantMessage(content: readonly unknown[], at: string): ChatMessageWire {
  let text = '';
  let refusal: string | undefined;
  content.forEach((part: unknown, j) => {
    const where = `${at}.content[${j}]`;
    if (!isObject(part)) throw invalid(`'${where}' must be an object`, where);
    if ((part.type === 'output_text' || part.type === 'input_text') && typeof part.text === 'string')
      text += part.text;
    else if (part.type === 'refusal' && typeof part.refusal === 'string') refusal = part.refusal;
    else throw unsupported(`Assistant content part '${String(part.type)}'`, `${where}.type`);
  });
  return { role: 'assistant', content: text, ...(refusal !== undefined ? { refusal } : {}) };
}

function inputPart(part: unknown, at: string): ChatContentPart {
  if (!isObject(part)) throw invalid(`'${at}' must be an object`, at);
  switch (part.type) {
    case 'input_text':
      if (typeof part.text !== 'string') throw invalid(`'${at}.text' must be a string`, `${at}.text`);
      return { type: 'text', text: part.text };
    case 'input_image': {
      if (present(part.file_id)) throw unsupported('An image given by `file_id`', `${at}.file_id`);
      if (typeof part.image_url !== 'string')
        throw invalid(`'${at}.image_url' must be a string`, `${at}.image_url`);
      const detail = typeof part.detail === 'string' ? { detail: part.detail } : {};
      return { type: 'image_url', image_url: { url: part.image_url, ...detail } };
    }
    case 'input_file': {
      if (present(part.file_url)) throw unsupported('A file given by `file_url`', `${at}.file_url`);
      return {
        type: 'file',
        file: pick(part, { file_data: 'file_data', file_id: 'file_id', filename: 'filename' }),
      };
    }
    default:
      throw unsupported(`Input content part '${String(part.type)}'`, `${at}.type`);
  }
}

function functionCall(item: Json, at: string): ChatToolCall {
  if (typeof item.call_id !== 'string') throw invalid(`'${at}.call_id' must be a string`, `${at}.call_id`);
  if (typeof item.name !== 'string') throw invalid(`'${at}.name' must be a string`, `${at}.name`);
  if (typeof item.arguments !== 'string')
    throw invalid(`'${at}.arguments' must be a string`, `${at}.arguments`);
  return { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
}

function functionOutput(item: Json, at: string): ChatMessageWire {
  if (typeof item.call_id !== 'string') throw invalid(`'${at}.call_id' must be a string`, `${at}.call_id`);
  const output = item.output;
  if (typeof output === 'string') return { role: 'tool', tool_call_id: item.call_id, content: output };
  if (!Array.isArray(output))
    throw invalid(`'${at}.output' must be a string or an array of parts`, `${at}.output`);
  const parts = output.map((part: unknown, j) => inputPart(part, `${at}.output[${j}]`));
  return { role: 'tool', tool_call_id: item.call_id, content: parts };
}

/** The reasoning's own text when the model exposes it, else its summary. */
export function reasoningText(item: Json): string {
  const texts = (parts: unknown): string[] =>
    (Array.isArray(parts) ? parts : []).flatMap((part: unknown) =>
      isObject(part) && typeof part.text === 'string' ? [part.text] : [],
    );
  const content = texts(item.content);
  return (content.length > 0 ? content : texts(item.summary)).join('');
}

function tools(body: Json): Partial<ChatCompletionRequest> {
  const out: { tools?: ChatTool[]; tool_choice?: unknown } = {};
  if (present(body.tools)) {
    if (!Array.isArray(body.tools)) throw invalid("'tools' must be an array", 'tools');
    out.tools = body.tools.map((tool: unknown, i) => {
      const at = `tools[${i}]`;
      if (!isObject(tool)) throw invalid(`'${at}' must be an object`, at);
      if (tool.type !== 'function')
        throw unsupported(`The built-in tool '${String(tool.type)}'`, `${at}.type`);
      if (typeof tool.name !== 'string') throw invalid(`'${at}.name' must be a string`, `${at}.name`);
      const fn = pick(tool, {
        name: 'name',
        description: 'description',
        parameters: 'parameters',
        strict: 'strict',
      });
      return { type: 'function', function: fn as ChatTool['function'] };
    });
  }
  const choice = body.tool_choice;
  if (typeof choice === 'string') out.tool_choice = choice;
  else if (isObject(choice)) {
    if (choice.type !== 'function' || typeof choice.name !== 'string')
      throw unsupported(`tool_choice of type '${String(choice.type)}'`, 'tool_choice');
    out.tool_choice = { type: 'function', function: { name: choice.name } };
  }
  return out;
}

function textFormat(text: unknown): Partial<ChatCompletionRequest> {
  if (!present(text)) return {};
  if (!isObject(text)) throw invalid("'text' must be an object", 'text');
  const out: Json = present(text.verbosity) ? { verbosity: text.verbosity } : {};
  const format = text.format;
  if (!present(format)) return out;
  if (!isObject(format)) throw invalid("'text.format' must be an object", 'text.format');
  switch (format.type) {
    case 'text':
    case 'json_object':
      return { ...out, response_format: { type: format.type } };
    case 'json_schema': {
      if (typeof format.name !== 'string')
        throw invalid("'text.format.name' must be a string", 'text.format.name');
      const schema = pick(format, {
        name: 'name',
        schema: 'schema',
        description: 'description',
        strict: 'strict',
      });
      return { ...out, response_format: { type: 'json_schema', json_schema: schema } };
    }
    default:
      throw unsupported(`text.format of type '${String(format.type)}'`, 'text.format.type');
  }
}

function reasoning(value: unknown): Partial<ChatCompletionRequest> {
  if (!present(value)) return {};
  if (!isObject(value)) throw invalid("'reasoning' must be an object", 'reasoning');
  if (present(value.summary) || present(value.generate_summary))
    throw unsupported('`reasoning.summary` (reasoning summaries)', 'reasoning.summary');
  return present(value.effort) ? { reasoning_effort: value.effort as string } : {};
}

/** `top_logprobs` and `include: ['message.output_text.logprobs']` → `logprobs`; other includes are OpenAI-only. */
function logprobs(body: Json): Partial<ChatCompletionRequest> {
  const include = present(body.include) ? body.include : [];
  if (!Array.isArray(include)) throw invalid("'include' must be an array", 'include');
  const other = include.find((name) => name !== 'message.output_text.logprobs');
  if (other !== undefined) throw unsupported(`include '${String(other)}'`, 'include');
  const wanted = include.length > 0 || present(body.top_logprobs);
  return wanted ? { logprobs: true, ...pick(body, { top_logprobs: 'top_logprobs' }) } : {};
}
