import type {
  ChatCompletionRequest,
  ChatContentPart,
  ChatMessageWire,
  ChatTool,
  ChatToolCall,
} from '../chat-completions';
import type {
  GeminiContent,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiRequest,
  GeminiToolConfig,
} from './gemini-types';
import { thinkingConfig } from './gemini-mappings';
import { modelParts } from './parts';
import { maxTokens, rejectUnhandledFields, stopSequences, textOnly } from '../translation-helpers';
import { defined, GEMINI, invalid, isObject, numberOr, unsupported } from './gemini-shared';

/**
 * Hub fields translated below (any other is refused unless it holds its default, e.g.
 * `parallel_tool_calls: true`). `user` only labels the caller: Sightline records it, Gemini has no field for it.
 */
const HANDLED = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'temperature',
  'top_p',
  'top_k',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'stop',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'service_tier',
  'user',
]);

/** Image types Gemini reads, by URL file extension (an http URL must say which it is). */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

/**
 * The hub request → a Gemini `generateContent` body (the model goes in the URL; streaming is the
 * `streamGenerateContent` method, chosen by the adapter). System and developer messages are hoisted
 * into `systemInstruction`; assistant turns become `model` contents; consecutive tool results join
 * one `user` content of `functionResponse` parts, in the order of the calls they answer (Gemini
 * matches results to calls by name and order, see `syntheticCallId`). Throws `unsupported_feature`
 * for what Gemini cannot do: `logit_bias`, `parallel_tool_calls: false`, message `name`s,
 * non-function tools, images by URL of unknown type, file ids, and any other unknown field.
 */
export function chatToGemini(request: ChatCompletionRequest): GeminiRequest {
  rejectUnhandledFields(request, HANDLED, GEMINI);
  if (request.service_tier != null && !['auto', 'default'].includes(request.service_tier as string)) {
    throw unsupported(`service_tier '${String(request.service_tier)}'`, GEMINI, 'service_tier');
  }
  const { systemInstruction, contents } = toContents(request.messages);
  const tools = request.tools?.length
    ? [{ functionDeclarations: request.tools.map(toDeclaration) }]
    : undefined;
  return defined({
    contents,
    systemInstruction,
    tools,
    toolConfig: toToolConfig(request.tool_choice),
    generationConfig: toGenerationConfig(request),
  });
}

function toContents(messages: readonly ChatMessageWire[]): {
  systemInstruction?: GeminiContent;
  contents: GeminiContent[];
} {
  if (!Array.isArray(messages)) throw invalid('messages', 'must be an array');
  const system: GeminiPart[] = [];
  const contents: GeminiContent[] = [];
  /** Tool-call id → name and position, for the results that answer them. */
  const calls = new Map<string, { name: string; order: number }>();
  let results: { order: number; part: GeminiPart }[] | null = null;
  const flushResults = (): void => {
    if (results === null) return;
    contents.push({ role: 'user', parts: results.sort((a, b) => a.order - b.order).map((r) => r.part) });
    results = null;
  };
  messages.forEach((message, i) => {
    const at = `messages.${i}`;
    if (!isObject(message as unknown)) throw invalid(at, 'must be an object');
    if (message.name !== undefined && message.name !== null) {
      throw unsupported('Message participant names', GEMINI, `${at}.name`);
    }
    if (message.role === 'tool') {
      const call = calls.get(String(message.tool_call_id));
      if (!call) throw invalid(`${at}.tool_call_id`, 'answers no tool call of an earlier assistant message');
      results ??= [];
      results.push({
        order: call.order,
        part: { functionResponse: { name: call.name, response: toolResult(message.content, at) } },
      });
      return;
    }
    flushResults();
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...userParts(message.content, `${at}.content`, true));
        return;
      case 'user':
        contents.push({ role: 'user', parts: userParts(message.content, `${at}.content`, false) });
        return;
      case 'assistant': {
        const parts = modelParts(message, at);
        (message.tool_calls ?? []).forEach((call: ChatToolCall, n: number) =>
          calls.set(call.id, { name: call.function.name, order: n }),
        );
        if (parts.length > 0) contents.push({ role: 'model', parts });
        return;
      }
      default:
        throw invalid(`${at}.role`, `unknown role '${String(message.role)}'`);
    }
  });
  flushResults();
  return { systemInstruction: system.length > 0 ? { parts: system } : undefined, contents };
}

/** A user (or system) message's content → parts: text, images, audio and files. */
function userParts(content: ChatMessageWire['content'], at: string, textOnly: boolean): GeminiPart[] {
  if (typeof content === 'string') return [{ text: content }];
  if (!Array.isArray(content)) throw invalid(at, 'must be a string or an array of content parts');
  return content.map((part: ChatContentPart, n) => {
    const where = `${at}.${n}`;
    if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (textOnly) throw unsupported(`A '${part.type}' part in a system message`, GEMINI, where);
    switch (part.type) {
      case 'image_url':
        return imagePart(part.image_url?.url, `${where}.image_url.url`);
      case 'input_audio': {
        const audio = part.input_audio as { data?: unknown; format?: unknown } | undefined;
        if (typeof audio?.data !== 'string' || typeof audio.format !== 'string') {
          throw invalid(`${where}.input_audio`, 'needs data and format');
        }
        return { inlineData: { mimeType: `audio/${audio.format}`, data: audio.data } };
      }
      case 'file': {
        const file = part.file as { file_data?: unknown; file_id?: unknown } | undefined;
        if (typeof file?.file_data !== 'string')
          throw unsupported('A file by file_id', GEMINI, `${where}.file`);
        return dataUrlPart(file.file_data, `${where}.file.file_data`);
      }
      default:
        throw unsupported(`A '${String(part.type)}' content part`, GEMINI, where);
    }
  });
}

/** An image by data URL (inline bytes) or by http(s) URL of a known image type (`fileData`). */
function imagePart(url: unknown, at: string): GeminiPart {
  if (typeof url !== 'string') throw invalid(at, 'must be a string');
  if (url.startsWith('data:')) return dataUrlPart(url, at);
  const parsed = URL.canParse(url) ? new URL(url) : null;
  const extension = parsed?.pathname.split('.').pop()?.toLowerCase() ?? '';
  const mimeType = IMAGE_TYPES[extension];
  if (!parsed || !/^https?:$/.test(parsed.protocol) || mimeType === undefined) {
    throw unsupported(
      `An image URL whose type cannot be told from its name (${parsed?.protocol ?? 'not a URL'}, '.${extension}'); send it as a base64 data URL, or an https URL ending in .png, .jpg, .webp, .gif, .heic or .heif,`,
      GEMINI,
      at,
    );
  }
  return { fileData: { mimeType, fileUri: url } };
}

function dataUrlPart(url: string, at: string): GeminiPart {
  const match = /^data:([^;,]+)(?:;[^;,=]+=[^;,]*)*;base64,(.*)$/s.exec(url);
  if (!match) throw invalid(at, 'must be a base64 data URL (data:<type>;base64,<data>)');
  return { inlineData: { mimeType: match[1], data: match[2] } };
}

/**
 * A tool message's content → `functionResponse.response` (a JSON object): a JSON-object text is
 * passed as that object, anything else as `{ output }`, Gemini's convention for a function's output.
 */
function toolResult(content: ChatMessageWire['content'], at: string): Record<string, unknown> {
  const text = textOnly(content, `${at}.content`, GEMINI);
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value)) return value;
  } catch {
    // Not JSON: plain output.
  }
  return { output: text };
}

function toDeclaration(tool: ChatTool, n: number) {
  if (tool.type !== 'function') throw unsupported(`A '${String(tool.type)}' tool`, GEMINI, `tools.${n}`);
  const { name, description, parameters } = tool.function;
  // JSON Schema as given (`parametersJsonSchema`), not the OpenAPI subset of `parameters`.
  return defined({ name, description, parametersJsonSchema: parameters });
}

function toToolConfig(choice: unknown): GeminiToolConfig | undefined {
  if (choice === undefined || choice === null) return undefined;
  const config = (mode: string, names?: readonly string[]): GeminiToolConfig => ({
    functionCallingConfig: defined({ mode, allowedFunctionNames: names }),
  });
  if (choice === 'auto') return config('AUTO');
  if (choice === 'none') return config('NONE');
  if (choice === 'required') return config('ANY');
  if (
    isObject(choice) &&
    choice.type === 'function' &&
    isObject(choice.function) &&
    typeof choice.function.name === 'string'
  ) {
    return config('ANY', [choice.function.name]);
  }
  if (isObject(choice) && choice.type === 'allowed_tools' && isObject(choice.allowed_tools)) {
    const { mode, tools } = choice.allowed_tools;
    const names = (Array.isArray(tools) ? tools : []).map((t: unknown) =>
      isObject(t) && isObject(t.function) && typeof t.function.name === 'string' ? t.function.name : '',
    );
    if (names.includes('')) throw unsupported('allowed_tools other than functions', GEMINI, 'tool_choice');
    return config(mode === 'required' ? 'ANY' : 'AUTO', names);
  }
  throw unsupported(`tool_choice ${JSON.stringify(choice)}`, GEMINI, 'tool_choice');
}

function toGenerationConfig(request: ChatCompletionRequest): GeminiGenerationConfig | undefined {
  const format = request.response_format;
  let responseMimeType: string | undefined;
  let responseJsonSchema: unknown;
  if (format?.type === 'json_object') responseMimeType = 'application/json';
  else if (format?.type === 'json_schema') {
    const schema = format.json_schema?.schema;
    if (!isObject(schema))
      throw invalid('response_format.json_schema.schema', 'must be a JSON Schema object');
    responseMimeType = 'application/json';
    responseJsonSchema = schema;
  } else if (format != null && format.type !== 'text') {
    throw unsupported(`response_format '${String(format.type)}'`, GEMINI, 'response_format');
  }
  let thinking;
  if (typeof request.reasoning_effort === 'string') {
    thinking = thinkingConfig(request.reasoning_effort);
    if (!thinking)
      throw unsupported(`reasoning_effort '${request.reasoning_effort}'`, GEMINI, 'reasoning_effort');
  }
  const config = defined({
    stopSequences: stopSequences(request.stop),
    responseMimeType,
    responseJsonSchema,
    candidateCount: numberOr(request.n),
    maxOutputTokens: maxTokens(request),
    temperature: numberOr(request.temperature),
    topP: numberOr(request.top_p),
    topK: numberOr(request.top_k),
    seed: numberOr(request.seed),
    presencePenalty: numberOr(request.presence_penalty),
    frequencyPenalty: numberOr(request.frequency_penalty),
    responseLogprobs: request.logprobs === true ? true : undefined,
    logprobs: request.logprobs === true ? numberOr(request.top_logprobs) : undefined,
    thinkingConfig: thinking,
  });
  return Object.keys(config).length > 0 ? config : undefined;
}
