import type { ChatCompletionRequest, ChatContentPart, ChatMessageWire, ChatTool } from '../chat-completions';
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GeminiTool } from './gemini-types';
import { jsonSchemaOf, reasoningEffort, syntheticCallId } from './gemini-mappings';
import { hubMessageOf, sortParts } from './parts';
import { defined, HUB, invalid, isObject, numberOr, unsupported } from './gemini-shared';

/**
 * Top-level fields read below. `model` and `stream` are not Gemini body fields: the endpoint takes
 * them from the URL (`models/{model}:streamGenerateContent`) and hands them over in the body.
 */
const HANDLED = new Set([
  'model',
  'stream',
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
]);

const CONFIG_HANDLED = new Set([
  'stopSequences',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'candidateCount',
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseLogprobs',
  'logprobs',
  'thinkingConfig',
]);

/**
 * A Gemini `generateContent` body → the hub request. `model` contents become assistant messages
 * (thought parts → `reasoning_content`), `functionResponse` parts become tool messages answering the
 * call with their `id`, else the earliest unanswered call of that name. Throws `unsupported_feature`
 * for what the hub cannot say: safety settings, cached content, non-function tools (Google Search,
 * code execution...), response modalities, media other than images, audio and documents.
 */
export function geminiToChat(body: unknown): ChatCompletionRequest {
  if (!isObject(body)) throw invalid('body', 'must be a JSON object');
  for (const [key, value] of Object.entries(body)) {
    if (value !== undefined && value !== null && !HANDLED.has(key))
      throw unsupported(`The '${key}' field`, HUB, key);
  }
  if (typeof body.model !== 'string' || body.model === '') throw invalid('model', 'is required');
  if (!Array.isArray(body.contents)) throw invalid('contents', 'must be an array of contents');
  const messages: ChatMessageWire[] = [];
  if (body.systemInstruction !== undefined && body.systemInstruction !== null) {
    messages.push({
      role: 'system',
      content: textOf(body.systemInstruction as GeminiContent, 'systemInstruction'),
    });
  }
  messages.push(...toMessages(body.contents as GeminiContent[]));
  const config = isObject(body.generationConfig) ? (body.generationConfig as GeminiGenerationConfig) : {};
  return defined({
    model: body.model.replace(/^models\//, ''),
    messages,
    ...(body.stream === true ? { stream: true, stream_options: { include_usage: true } } : {}),
    tools: body.tools === undefined ? undefined : toTools(body.tools),
    tool_choice: toToolChoice(body.toolConfig),
    ...fromConfig(config),
  });
}

function toMessages(contents: readonly GeminiContent[]): ChatMessageWire[] {
  const messages: ChatMessageWire[] = [];
  /** Calls not answered yet: id and name, in call order. */
  let pending: { id: string; name: string }[] = [];
  contents.forEach((content, i) => {
    const at = `contents.${i}`;
    if (!isObject(content) || !Array.isArray(content.parts))
      throw invalid(`${at}.parts`, 'must be an array of parts');
    if (content.role === 'model') {
      const message = assistantMessage(content.parts, at, i);
      pending = (message.tool_calls ?? []).map((call) => ({ id: call.id, name: call.function.name }));
      messages.push(message);
      return;
    }
    if (content.role !== undefined && content.role !== 'user' && content.role !== 'function') {
      throw invalid(`${at}.role`, `unknown role '${String(content.role)}' (Gemini knows user and model)`);
    }
    const parts: ChatContentPart[] = [];
    content.parts.forEach((part, n) => {
      const where = `${at}.parts.${n}`;
      const result = part.functionResponse;
      if (!result) return parts.push(userPart(part, where));
      const k = pending.findIndex((call) => (result.id ? call.id === result.id : call.name === result.name));
      const id = k >= 0 ? pending.splice(k, 1)[0].id : result.id;
      if (id === undefined)
        throw invalid(`${where}.functionResponse`, `answers no earlier call of '${result.name}'`);
      messages.push({ role: 'tool', tool_call_id: id, content: JSON.stringify(result.response ?? {}) });
    });
    if (parts.length > 0) {
      const only = parts.length === 1 && parts[0].type === 'text' ? parts[0].text : undefined;
      messages.push({ role: 'user', content: only ?? parts });
    }
  });
  return messages;
}

function assistantMessage(parts: readonly GeminiPart[], at: string, i: number): ChatMessageWire {
  let calls = 0;
  const sorted = sortParts(parts, () => syntheticCallId('', i, calls++), `${at}.parts`);
  return hubMessageOf(sorted);
}

function userPart(part: GeminiPart, at: string): ChatContentPart {
  if (typeof part.text === 'string') return { type: 'text', text: part.text };
  if (part.inlineData) {
    const { mimeType, data } = part.inlineData;
    if (mimeType.startsWith('image/'))
      return { type: 'image_url', image_url: { url: `data:${mimeType};base64,${data}` } };
    if (mimeType === 'audio/wav' || mimeType === 'audio/mp3' || mimeType === 'audio/mpeg') {
      return { type: 'input_audio', input_audio: { data, format: mimeType === 'audio/wav' ? 'wav' : 'mp3' } };
    }
    if (mimeType === 'application/pdf')
      return { type: 'file', file: { file_data: `data:${mimeType};base64,${data}` } };
    throw unsupported(`Inline data of type ${mimeType}`, HUB, `${at}.inlineData`);
  }
  if (part.fileData) {
    const { mimeType, fileUri } = part.fileData;
    if (mimeType?.startsWith('image/') && /^https?:\/\//.test(fileUri))
      return { type: 'image_url', image_url: { url: fileUri } };
    throw unsupported(`File data of type ${mimeType ?? 'unknown'} (${fileUri})`, HUB, `${at}.fileData`);
  }
  throw unsupported(
    `A user part other than text, inline data or an image file (${Object.keys(part).join(', ')})`,
    HUB,
    at,
  );
}

/** The text of a system instruction (a Content of text parts; a bare string is accepted too). */
function textOf(content: GeminiContent | string, at: string): string {
  if (typeof content === 'string') return content;
  if (!isObject(content) || !Array.isArray(content.parts))
    throw invalid(`${at}.parts`, 'must be an array of parts');
  return content.parts
    .map((part, n) => {
      if (typeof part.text !== 'string')
        throw unsupported('A system instruction part other than text', HUB, `${at}.parts.${n}`);
      return part.text;
    })
    .join('\n');
}

function toTools(tools: unknown): ChatTool[] {
  if (!Array.isArray(tools)) throw invalid('tools', 'must be an array');
  return (tools as GeminiTool[]).flatMap((tool, i) => {
    const other = Object.keys(tool).filter((key) => key !== 'functionDeclarations');
    if (other.length > 0) throw unsupported(`The ${other.join(', ')} tool`, HUB, `tools.${i}`);
    return (tool.functionDeclarations ?? []).map((d): ChatTool => ({
      type: 'function',
      function: defined({
        name: d.name,
        description: d.description,
        parameters: (d.parametersJsonSchema ?? (d.parameters ? jsonSchemaOf(d.parameters) : undefined)) as
          Record<string, unknown> | undefined,
      }),
    }));
  });
}

function toToolChoice(toolConfig: unknown): unknown {
  if (!isObject(toolConfig)) return undefined;
  const config = toolConfig.functionCallingConfig;
  if (!isObject(config) || config.mode === undefined || config.mode === 'MODE_UNSPECIFIED') return undefined;
  const names = Array.isArray(config.allowedFunctionNames) ? (config.allowedFunctionNames as string[]) : [];
  const allowed = (mode: string) => ({
    type: 'allowed_tools',
    allowed_tools: { mode, tools: names.map((name) => ({ type: 'function', function: { name } })) },
  });
  switch (config.mode) {
    case 'NONE':
      return 'none';
    case 'AUTO':
      return names.length > 0 ? allowed('auto') : 'auto';
    case 'ANY':
      if (names.length === 1) return { type: 'function', function: { name: names[0] } };
      return names.length > 1 ? allowed('required') : 'required';
    default:
      throw unsupported(
        `Function calling mode ${String(config.mode)}`,
        HUB,
        'toolConfig.functionCallingConfig.mode',
      );
  }
}

function fromConfig(config: GeminiGenerationConfig): Partial<ChatCompletionRequest> {
  for (const [key, value] of Object.entries(config)) {
    if (value !== undefined && value !== null && !CONFIG_HANDLED.has(key)) {
      throw unsupported(`generationConfig.${key}`, HUB, `generationConfig.${key}`);
    }
  }
  const schema =
    config.responseJsonSchema ?? (config.responseSchema ? jsonSchemaOf(config.responseSchema) : undefined);
  let responseFormat: ChatCompletionRequest['response_format'];
  if (config.responseMimeType === 'application/json') {
    responseFormat =
      schema === undefined
        ? { type: 'json_object' }
        : { type: 'json_schema', json_schema: { name: 'response', schema } };
  } else if (config.responseMimeType !== undefined && config.responseMimeType !== 'text/plain') {
    throw unsupported(
      `responseMimeType ${config.responseMimeType}`,
      HUB,
      'generationConfig.responseMimeType',
    );
  } else if (schema !== undefined) {
    throw invalid('generationConfig.responseMimeType', "must be 'application/json' with a response schema");
  }
  return {
    stop: config.stopSequences,
    response_format: responseFormat,
    n: numberOr(config.candidateCount),
    max_completion_tokens: numberOr(config.maxOutputTokens),
    temperature: numberOr(config.temperature),
    top_p: numberOr(config.topP),
    top_k: numberOr(config.topK),
    seed: numberOr(config.seed),
    presence_penalty: numberOr(config.presencePenalty),
    frequency_penalty: numberOr(config.frequencyPenalty),
    logprobs: config.responseLogprobs === true ? true : undefined,
    top_logprobs: config.responseLogprobs === true ? numberOr(config.logprobs) : undefined,
    reasoning_effort: isObject(config.thinkingConfig) ? reasoningEffort(config.thinkingConfig) : undefined,
  };
}
