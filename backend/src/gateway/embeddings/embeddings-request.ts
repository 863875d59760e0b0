import { InvalidInputError } from '../../common/errors';
import type { ChatCompletionRequest } from '../../providers/wire/chat-completions';

type Json = Record<string, unknown>;

/** A checked `POST /v1/embeddings` body (OpenAI's format). */
export interface EmbeddingsRequest {
  readonly model: string;
  /** The inputs as texts (token arrays as their JSON), for recording. */
  readonly texts: readonly string[];
  /** The caller's body, unknown fields kept. */
  readonly body: Json;
}

const MAX_INPUTS = 2048;

function invalid(message: string, param: string): InvalidInputError {
  return new InvalidInputError(message, 'invalid_request', param);
}

/**
 * Checks what OpenAI checks before a provider is called: `model`, `input` (a non-empty string, an
 * array of up to 2048 non-empty strings, an array of token ids, or an array of such arrays),
 * `encoding_format` (`float` | `base64`), `dimensions` (a positive integer).
 */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidInputError('The request body must be a JSON object', 'invalid_body');
  const json = body as Json;
  if (typeof json.model !== 'string' || json.model === '')
    throw invalid("Missing required parameter: 'model'.", 'model');
  if (
    json.encoding_format !== undefined &&
    json.encoding_format !== 'float' &&
    json.encoding_format !== 'base64'
  )
    throw invalid("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  const dimensions = json.dimensions;
  if (
    dimensions !== undefined &&
    (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1)
  )
    throw invalid("'dimensions' must be a positive integer.", 'dimensions');
  return { model: json.model, texts: texts(json.input), body: json };
}

function texts(input: unknown): string[] {
  if (input === undefined || input === null) throw invalid("Missing required parameter: 'input'.", 'input');
  if (typeof input === 'string') {
    if (input === '') throw invalid("'input' must not be empty.", 'input');
    return [input];
  }
  if (!Array.isArray(input) || input.length === 0)
    throw invalid("'input' must be a string or a non-empty array of strings or token arrays.", 'input');
  if (input.length > MAX_INPUTS) throw invalid(`'input' holds at most ${MAX_INPUTS} items.`, 'input');
  if (input.every((item) => typeof item === 'number' && Number.isInteger(item)))
    return [JSON.stringify(input)];
  return input.map((item: unknown, i) => {
    if (typeof item === 'string' && item !== '') return item;
    if (
      Array.isArray(item) &&
      item.length > 0 &&
      item.every((t) => typeof t === 'number' && Number.isInteger(t))
    )
      return JSON.stringify(item);
    throw invalid(`'input[${i}]' must be a non-empty string or an array of token ids.`, `input[${i}]`);
  });
}

/** How the call is recorded: the inputs as user messages, the embedding options as parameters. */
export function recordedRequest(request: EmbeddingsRequest): ChatCompletionRequest {
  const { input: _input, model, ...params } = request.body;
  return {
    ...params,
    model: model as string,
    messages: request.texts.map((content) => ({ role: 'user', content })),
  };
}

/** The body for the provider: OpenAI's format; Mistral names the size `output_dimension` and has no `user`. */
export function providerBody(provider: string, request: EmbeddingsRequest, model: string): Json {
  const body: Json = { ...request.body, model };
  if (provider !== 'mistral') return body;
  const { dimensions, user: _user, ...rest } = body;
  return dimensions === undefined ? rest : { ...rest, output_dimension: dimensions };
}
