import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ChatMessage } from '@sightline/schemas';
import type { ChatRequest } from '../providers/provider';
import { InvalidInputError } from '../common/errors';

const Message = Type.Object({
  role: Type.Union(['system', 'developer', 'user', 'assistant', 'tool'].map((r) => Type.Literal(r))),
  content: Type.Optional(Type.Union([Type.String(), Type.Null(), Type.Array(Type.Unknown())])),
  name: Type.Optional(Type.String()),
  tool_call_id: Type.Optional(Type.String()),
  tool_calls: Type.Optional(Type.Array(Type.Unknown())),
});

/** OpenAI's Chat Completions request body: the fields Sightline reads; the rest pass through as params. */
const OpenAiChatRequest = Type.Object({
  model: Type.String({ minLength: 1, maxLength: 256 }),
  messages: Type.Array(Message, { minItems: 1 }),
  stream: Type.Optional(Type.Boolean()),
  stream_options: Type.Optional(
    Type.Union([Type.Object({ include_usage: Type.Optional(Type.Boolean()) }), Type.Null()]),
  ),
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
  top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  max_completion_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  n: Type.Optional(Type.Union([Type.Literal(1), Type.Null()])),
  tools: Type.Optional(Type.Array(Type.Unknown())),
  response_format: Type.Optional(Type.Unknown()),
  user: Type.Optional(Type.String()),
});
type OpenAiChatRequest = Static<typeof OpenAiChatRequest>;

const check = TypeCompiler.Compile(OpenAiChatRequest);

export interface ParsedChatRequest {
  readonly request: ChatRequest;
  readonly stream: boolean;
  readonly includeUsage: boolean;
}

const OWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'tools',
  'response_format',
  'user',
]);

function toMessage(m: OpenAiChatRequest['messages'][number]): ChatMessage {
  return {
    role: m.role as ChatMessage['role'],
    content: m.content ?? null,
    ...(m.name !== undefined ? { name: m.name } : {}),
    ...(m.tool_call_id !== undefined ? { toolCallId: m.tool_call_id } : {}),
    ...(m.tool_calls !== undefined ? { toolCalls: m.tool_calls } : {}),
  };
}

/** Validate a parsed JSON body; errors name the field like OpenAI's do. */
export function parseChatRequest(body: unknown): ParsedChatRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The request body must be a JSON object.', 'invalid_body');
  }
  const first = check.Errors(body).First();
  if (first) {
    const param = first.path.replace(/^\//, '').replace(/\//g, '.') || null;
    throw new InvalidInputError(
      `Invalid value for '${param ?? 'body'}': ${first.message}.`,
      'invalid_value',
      param,
    );
  }
  const valid = body as OpenAiChatRequest & Record<string, unknown>;
  const params = Object.fromEntries(
    Object.entries(valid).filter(([k, v]) => !OWN_FIELDS.has(k) && v !== null),
  );
  return {
    request: {
      model: valid.model,
      messages: valid.messages.map(toMessage),
      params,
      ...(valid.tools ? { tools: valid.tools } : {}),
      ...(valid.response_format !== undefined ? { responseFormat: valid.response_format } : {}),
      ...(valid.user !== undefined ? { user: valid.user } : {}),
    },
    stream: valid.stream === true,
    includeUsage: valid.stream_options?.include_usage === true,
  };
}
