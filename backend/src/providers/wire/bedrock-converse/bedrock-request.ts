/**
 * Requests between the hub (OpenAI Chat Completions) and Bedrock Converse.
 *
 * - system / developer messages → `system` text blocks (Converse has no system turn in `messages`);
 * - tool results (`role: tool`) → `toolResult` blocks in a user turn; consecutive messages of one
 *   role are merged into one turn, as Converse requires alternating user / assistant turns (parallel
 *   tool results land in one user turn);
 * - images: base64 `data:` URLs → `image` blocks with bytes; an http(s) URL is refused
 *   (`unsupported_feature`): Converse takes bytes or S3 locations only;
 * - JSON mode: `json_schema` → `outputConfig.textFormat` (Bedrock's structured output), and
 *   `json_object` → the same with the schema `{"type":"object"}`; a model without structured-output
 *   support answers Bedrock's own ValidationException;
 * - `tool_choice: 'none'` drops the tool definitions (Converse cannot forbid calls), and is refused
 *   when the conversation already holds tool calls (Converse then needs the definitions);
 * - `user` (an end-user id for abuse monitoring, recorded by Sightline) has no Converse field and is
 *   not sent; earlier turns' `reasoning_content` is not context either (OpenAI ignores it too);
 * - anything else Converse cannot express (`n > 1`, `seed`, `logprobs`, penalties, audio...) → 400.
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
  parseToolArguments,
  recordAt,
  rejectParticipantName,
  rejectUnhandledFields,
  stopSequences,
  textOnly,
  unsupported,
  hubAssistantMessage,
} from '../translation-helpers';
import type {
  BedrockContentBlock,
  BedrockConverseRequest,
  BedrockImageFormat,
  BedrockMessage,
  BedrockToolChoice,
  BedrockToolSpec,
} from './bedrock-converse.types';

export const BEDROCK = 'Bedrock Converse';

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
  'tools',
  'tool_choice',
  'response_format',
  'service_tier',
  'reasoning_effort',
  'metadata',
  'user',
]);
const IMAGE_FORMATS: Readonly<Record<string, BedrockImageFormat>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;
const EMPTY_SCHEMA = { type: 'object', properties: {} };
/** `json_object` as a structured-output schema: any JSON object. */
const JSON_OBJECT = { schema: '{"type":"object"}', name: 'json_object' };

/** Hub request → Converse body (the model goes in the URL path, not in the body). */
export function toBedrockRequest(request: ChatCompletionRequest): BedrockConverseRequest {
  rejectUnhandledFields(request, HANDLED, BEDROCK);
  const system: { text: string }[] = [];
  const turns: { role: 'user' | 'assistant'; content: BedrockContentBlock[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: BedrockContentBlock[]): void => {
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  request.messages.forEach((message, i) => {
    const param = `messages.${i}`;
    rejectParticipantName(message, param, BEDROCK);
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push({ text: textOnly(message.content, `${param}.content`, BEDROCK) });
        return;
      case 'user':
        return push('user', userBlocks(message, param));
      case 'assistant':
        return push('assistant', assistantBlocks(message, param));
      case 'tool':
        return push('user', [toolResultBlock(message, param)]);
      default:
        throw unsupported(`Role '${String(message.role)}'`, BEDROCK, `${param}.role`);
    }
  });
  const inferenceConfig = defined({
    maxTokens: maxTokens(request),
    temperature: request.temperature,
    topP: request.top_p,
    stopSequences: stopSequences(request.stop),
  });
  const toolConfig = toolConfigOf(request, turns);
  return defined({
    messages: turns,
    system: system.length > 0 ? system : undefined,
    inferenceConfig: Object.keys(inferenceConfig).length > 0 ? inferenceConfig : undefined,
    toolConfig,
    outputConfig: outputConfigOf(request),
    serviceTier: serviceTierOf(request.service_tier),
    requestMetadata: metadataOf(request.metadata),
  }) as BedrockConverseRequest;
}

function userBlocks(message: ChatMessageWire, param: string): BedrockContentBlock[] {
  return contentParts(message.content).map((part, j) => userPart(part, `${param}.content.${j}`));
}

function userPart(part: ChatContentPart, param: string): BedrockContentBlock {
  if (part.type === 'text') return { text: part.text ?? '' };
  if (part.type !== 'image_url') throw unsupported(`Content part '${part.type}'`, BEDROCK, param);
  const url = part.image_url?.url ?? '';
  const data = DATA_URL.exec(url);
  if (!data) {
    throw unsupported('An image by URL (only base64 data: URLs are sent)', BEDROCK, `${param}.image_url.url`);
  }
  const format = IMAGE_FORMATS[data[1].toLowerCase()];
  if (!format) throw unsupported(`Image type '${data[1]}'`, BEDROCK, `${param}.image_url.url`);
  return { image: { format, source: { bytes: data[2] } } };
}

function assistantBlocks(message: ChatMessageWire, param: string): BedrockContentBlock[] {
  const blocks: BedrockContentBlock[] = [];
  for (const [j, part] of contentParts(message.content).entries()) {
    if (part.type !== 'text')
      throw unsupported(`Assistant content part '${part.type}'`, BEDROCK, `${param}.content.${j}`);
    if (part.text) blocks.push({ text: part.text });
  }
  if (blocks.length === 0 && message.refusal) blocks.push({ text: message.refusal });
  (message.tool_calls ?? []).forEach((call, j) =>
    blocks.push(toolUseBlock(call, `${param}.tool_calls.${j}`)),
  );
  return blocks;
}

function toolUseBlock(call: ChatToolCall, param: string): BedrockContentBlock {
  const input = parseToolArguments(call.function.arguments, `${param}.function.arguments`);
  return { toolUse: { toolUseId: call.id, name: call.function.name, input } };
}

function toolResultBlock(message: ChatMessageWire, param: string): BedrockContentBlock {
  if (!message.tool_call_id) throw invalid(`A tool message needs 'tool_call_id'`, `${param}.tool_call_id`);
  const text = textOnly(message.content, `${param}.content`, BEDROCK);
  return { toolResult: { toolUseId: message.tool_call_id, content: [{ text }] } };
}

function toolConfigOf(
  request: ChatCompletionRequest,
  turns: readonly BedrockMessage[],
): BedrockConverseRequest['toolConfig'] {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  const choice = request.tool_choice;
  if (choice === 'none') {
    const usesTools = turns.some((t) => t.content.some((b) => b.toolUse || b.toolResult));
    if (usesTools)
      throw unsupported(`tool_choice 'none' in a conversation with tool calls`, BEDROCK, 'tool_choice');
    return undefined;
  }
  return defined({
    tools: tools.map((tool) => ({ toolSpec: toolSpecOf(tool) })),
    toolChoice: toolChoiceOf(choice),
  }) as BedrockConverseRequest['toolConfig'];
}

function toolSpecOf(tool: ChatTool): BedrockToolSpec {
  const { name, description, parameters, strict } = tool.function;
  return defined({
    name,
    description,
    inputSchema: { json: parameters ?? EMPTY_SCHEMA },
    strict,
  }) as BedrockToolSpec;
}

function toolChoiceOf(choice: unknown): BedrockToolChoice | undefined {
  if (choice === undefined || choice === null || choice === 'auto') return undefined;
  if (choice === 'required') return { any: {} };
  if (isRecord(choice) && isRecord(choice.function) && typeof choice.function.name === 'string') {
    return { tool: { name: choice.function.name } };
  }
  throw unsupported(`tool_choice ${JSON.stringify(choice)}`, BEDROCK, 'tool_choice');
}

function outputConfigOf(request: ChatCompletionRequest): BedrockConverseRequest['outputConfig'] {
  const format = request.response_format;
  const effort = request.reasoning_effort ?? undefined;
  if (effort !== undefined && !['low', 'medium', 'high'].includes(effort)) {
    throw unsupported(`reasoning_effort '${effort}'`, BEDROCK, 'reasoning_effort');
  }
  let textFormat: NonNullable<BedrockConverseRequest['outputConfig']>['textFormat'];
  if (format?.type === 'json_schema') {
    const spec = recordAt(format.json_schema, 'response_format.json_schema');
    const jsonSchema = defined({
      schema: JSON.stringify(spec.schema ?? {}),
      name: typeof spec.name === 'string' ? spec.name : undefined,
      description: typeof spec.description === 'string' ? spec.description : undefined,
    }) as { schema: string };
    textFormat = { type: 'json_schema', structure: { jsonSchema } };
  } else if (format?.type === 'json_object') {
    textFormat = { type: 'json_schema', structure: { jsonSchema: JSON_OBJECT } };
  } else if (format && format.type !== 'text') {
    throw unsupported(`response_format '${format.type}'`, BEDROCK, 'response_format.type');
  }
  return textFormat || effort ? defined({ textFormat, effort }) : undefined;
}

function serviceTierOf(tier: unknown): { type: string } | undefined {
  if (tier === undefined || tier === null || tier === 'auto') return undefined;
  if (tier === 'default' || tier === 'flex' || tier === 'priority') return { type: tier };
  throw unsupported(`service_tier '${String(tier)}'`, BEDROCK, 'service_tier');
}

function metadataOf(metadata: unknown): Record<string, string> | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  const record = recordAt(metadata, 'metadata');
  for (const [key, value] of Object.entries(record)) {
    if (typeof value !== 'string') throw invalid(`metadata values must be strings`, `metadata.${key}`);
  }
  return record as Record<string, string>;
}

/** Converse body (as a caller would send it, `modelId` optional) → hub request. */
export function fromBedrockRequest(body: unknown): ChatCompletionRequest {
  const request = recordAt(body, 'body');
  for (const field of [
    'additionalModelRequestFields',
    'guardrailConfig',
    'promptVariables',
    'performanceConfig',
  ]) {
    if (request[field] !== undefined) throw unsupported(`'${field}'`, 'OpenAI Chat Completions', field);
  }
  const messages: ChatMessageWire[] = arrayAt(request.system, 'system').map((block, i) => ({
    role: 'system',
    content: systemText(block, `system.${i}`),
  }));
  arrayAt(request.messages, 'messages').forEach((raw, i) =>
    messages.push(...hubMessages(raw, `messages.${i}`)),
  );
  const inference = isRecord(request.inferenceConfig) ? request.inferenceConfig : {};
  const toolConfig = isRecord(request.toolConfig) ? request.toolConfig : undefined;
  const output = isRecord(request.outputConfig) ? request.outputConfig : undefined;
  return defined({
    model: typeof request.modelId === 'string' ? request.modelId : '',
    messages,
    max_tokens: inference.maxTokens as number | undefined,
    temperature: inference.temperature as number | undefined,
    top_p: inference.topP as number | undefined,
    stop: inference.stopSequences as string[] | undefined,
    tools: toolConfig ? hubTools(toolConfig) : undefined,
    tool_choice: toolConfig ? hubToolChoice(toolConfig.toolChoice) : undefined,
    response_format: output ? hubResponseFormat(output.textFormat) : undefined,
    reasoning_effort: output?.effort as string | undefined,
    service_tier: isRecord(request.serviceTier) ? (request.serviceTier.type as string) : undefined,
    metadata: request.requestMetadata,
  }) as ChatCompletionRequest;
}

function systemText(block: unknown, param: string): string {
  const record = recordAt(block, param);
  if (typeof record.text !== 'string')
    throw unsupported(`System block '${Object.keys(record)[0]}'`, 'OpenAI Chat Completions', param);
  return record.text;
}

/** One Converse turn → hub messages: a user turn's tool results become `tool` messages first. */
function hubMessages(raw: unknown, param: string): ChatMessageWire[] {
  const message = recordAt(raw, param);
  const blocks = arrayAt(message.content, `${param}.content`).map((b, j) =>
    recordAt(b, `${param}.content.${j}`),
  );
  if (message.role === 'assistant') return [hubAssistant(blocks, param)];
  if (message.role !== 'user') throw invalid(`role must be 'user' or 'assistant'`, `${param}.role`);
  const out: ChatMessageWire[] = [];
  const parts: ChatContentPart[] = [];
  blocks.forEach((block, j) => {
    const at = `${param}.content.${j}`;
    if (isRecord(block.toolResult)) out.push(hubToolResult(block.toolResult, at));
    else if (typeof block.text === 'string') parts.push({ type: 'text', text: block.text });
    else if (isRecord(block.image)) parts.push(hubImage(block.image, at));
    else throw unsupported(`Content block '${Object.keys(block)[0]}'`, 'OpenAI Chat Completions', at);
  });
  if (parts.length > 0)
    out.push({
      role: 'user',
      content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('') : parts,
    });
  return out;
}

function hubAssistant(blocks: readonly Record<string, unknown>[], param: string): ChatMessageWire {
  let text = '';
  let reasoning = '';
  const toolCalls: ChatToolCall[] = [];
  blocks.forEach((block, j) => {
    if (typeof block.text === 'string') text += block.text;
    else if (isRecord(block.toolUse)) {
      const use = block.toolUse;
      toolCalls.push({
        id: String(use.toolUseId),
        type: 'function',
        function: { name: String(use.name), arguments: JSON.stringify(use.input ?? {}) },
      });
    } else if (isRecord(block.reasoningContent) && isRecord(block.reasoningContent.reasoningText)) {
      reasoning += String(block.reasoningContent.reasoningText.text ?? '');
    } else
      throw unsupported(
        `Assistant block '${Object.keys(block)[0]}'`,
        'OpenAI Chat Completions',
        `${param}.content.${j}`,
      );
  });
  return hubAssistantMessage(text, toolCalls, reasoning);
}

function hubToolResult(result: Record<string, unknown>, param: string): ChatMessageWire {
  if (result.status === 'error')
    throw unsupported(
      `A tool result with status 'error'`,
      'OpenAI Chat Completions',
      `${param}.toolResult.status`,
    );
  const text = arrayAt(result.content, `${param}.toolResult.content`)
    .map((item, k) => {
      const at = `${param}.toolResult.content.${k}`;
      const record = recordAt(item, at);
      if (typeof record.text === 'string') return record.text;
      if (record.json !== undefined) return JSON.stringify(record.json);
      throw unsupported(`Tool result block '${Object.keys(record)[0]}'`, 'OpenAI Chat Completions', at);
    })
    .join('');
  return { role: 'tool', tool_call_id: String(result.toolUseId), content: text };
}

function hubImage(image: Record<string, unknown>, param: string): ChatContentPart {
  const source = isRecord(image.source) ? image.source : {};
  if (typeof source.bytes !== 'string')
    throw unsupported('An image from S3', 'OpenAI Chat Completions', `${param}.image.source`);
  return {
    type: 'image_url',
    image_url: { url: `data:image/${String(image.format)};base64,${source.bytes}` },
  };
}

function hubTools(toolConfig: Record<string, unknown>): ChatTool[] {
  return arrayAt(toolConfig.tools, 'toolConfig.tools').map((raw, i) => {
    const tool = recordAt(raw, `toolConfig.tools.${i}`);
    if (!isRecord(tool.toolSpec))
      throw unsupported(`Tool '${Object.keys(tool)[0]}'`, 'OpenAI Chat Completions', `toolConfig.tools.${i}`);
    const spec = tool.toolSpec;
    const schema = isRecord(spec.inputSchema) ? spec.inputSchema.json : undefined;
    return {
      type: 'function',
      function: defined({
        name: String(spec.name),
        description: spec.description as string | undefined,
        parameters: schema as Record<string, unknown> | undefined,
        strict: spec.strict as boolean | undefined,
      }) as ChatTool['function'],
    };
  });
}

function hubToolChoice(choice: unknown): unknown {
  if (!isRecord(choice)) return undefined;
  if (choice.any) return 'required';
  if (choice.auto) return 'auto';
  if (isRecord(choice.tool)) return { type: 'function', function: { name: String(choice.tool.name) } };
  return undefined;
}

function hubResponseFormat(textFormat: unknown): ChatCompletionRequest['response_format'] {
  if (!isRecord(textFormat)) return undefined;
  const structure = isRecord(textFormat.structure) ? textFormat.structure : {};
  const spec = recordAt(structure.jsonSchema, 'outputConfig.textFormat.structure.jsonSchema');
  let schema: unknown;
  try {
    schema = JSON.parse(String(spec.schema));
  } catch {
    throw invalid('The JSON schema is not valid JSON', 'outputConfig.textFormat.structure.jsonSchema.schema');
  }
  if (spec.name === JSON_OBJECT.name && spec.schema === JSON_OBJECT.schema) return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: defined({
      name: (spec.name as string | undefined) ?? 'response',
      description: spec.description,
      schema,
    }),
  };
}
