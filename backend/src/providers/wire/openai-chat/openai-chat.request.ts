import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { InvalidInputError } from '../../../common/errors';
import type { ChatCompletionRequest } from '../chat-completions';
import { schemaProblem } from '../schema-errors';

const Message = Type.Object({
  role: Type.Union(['system', 'developer', 'user', 'assistant', 'tool'].map((r) => Type.Literal(r))),
  content: Type.Optional(Type.Union([Type.String(), Type.Null(), Type.Array(Type.Unknown())])),
  name: Type.Optional(Type.String()),
  tool_call_id: Type.Optional(Type.String()),
  tool_calls: Type.Optional(Type.Array(Type.Unknown())),
});

/**
 * What Sightline checks before sending a Chat Completions body anywhere: the fields it reads or
 * that would be refused upstream anyway. Other fields are not looked at (they pass through).
 */
const Checked = Type.Object({
  model: Type.String({ minLength: 1, maxLength: 256 }),
  messages: Type.Array(Message, { minItems: 1 }),
  stream: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  stream_options: Type.Optional(
    Type.Union([Type.Object({ include_usage: Type.Optional(Type.Boolean()) }), Type.Null()]),
  ),
  temperature: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 2 }), Type.Null()])),
  top_p: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()])),
  max_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  max_completion_tokens: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  n: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 128 }), Type.Null()])),
  tools: Type.Optional(Type.Array(Type.Unknown())),
  user: Type.Optional(Type.String()),
});

const check = TypeCompiler.Compile(Checked);

/**
 * A parsed `POST /v1/chat/completions` body, checked and returned as it is (no copy). Throws
 * `InvalidInputError` naming the first bad field (`messages.0.role`), as OpenAI's errors do.
 */
export function checkChatRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidInputError('The request body must be a JSON object.', 'invalid_body');
  }
  // The compiled check is the fast path; the error walk runs only for a body that fails it.
  const first = check.Check(body) ? undefined : check.Errors(body).First();
  if (first) {
    const param = first.path.replace(/^\//, '').replace(/\//g, '.') || null;
    throw new InvalidInputError(
      `Invalid value for '${param ?? 'body'}': ${schemaProblem(first)}.`,
      'invalid_value',
      param,
    );
  }
  return body as ChatCompletionRequest;
}
