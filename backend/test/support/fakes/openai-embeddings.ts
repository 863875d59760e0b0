/**
 * OpenAI's embeddings answer (`POST /v1/embeddings`), deterministic: each input's vector derives
 * from a hash of its text, usage counts the mock model's tokens. `encoding_format: 'base64'` (what
 * the `openai` SDKs ask for by default) gives little-endian float32 bytes in base64. Azure and
 * Mistral answer in the same shape.
 */
import { createHash } from 'node:crypto';
import { countTokens } from '../../../src/providers/mock/mock-model';
import { FakeHttpError, isObject } from './fake-http';

const DEFAULT_DIMENSIONS = 8;

export function embeddingsAnswer(body: unknown, model?: string): unknown {
  if (!isObject(body)) throw invalid('We could not parse the JSON body of your request.', null);
  const name = model ?? body.model;
  if (typeof name !== 'string' || name === '') throw invalid('you must provide a model parameter', null);
  const inputs = texts(body.input);
  const dimensions = typeof body.dimensions === 'number' ? body.dimensions : DEFAULT_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 4096)
    throw invalid(`Invalid value for 'dimensions': ${String(body.dimensions)}`, 'dimensions');
  const base64 = body.encoding_format === 'base64';
  const tokens = inputs.reduce((sum, text) => sum + Math.max(1, countTokens(text)), 0);
  return {
    object: 'list',
    data: inputs.map((text, index) => {
      const vector = embed(text, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    }),
    model: name,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

/** A unit vector from the SHA-256 of the text (repeated as needed). */
export function embed(text: string, dimensions: number): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}\u0000${text}`).digest();
    for (let i = 0; i + 1 < digest.length && raw.length < dimensions; i += 2)
      raw.push(digest.readUInt16LE(i) / 32768 - 1);
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Math.fround(x / norm));
}

function texts(input: unknown): string[] {
  if (input === undefined) throw invalid("Missing required parameter: 'input'.", 'input');
  if (typeof input === 'string') return [nonEmpty(input)];
  if (Array.isArray(input) && input.length > 0) {
    if (input.every((item) => typeof item === 'string')) return input.map(nonEmpty);
    // Token arrays: one input of numbers, or several.
    if (input.every((item) => typeof item === 'number')) return [input.join(' ')];
    if (input.every((item) => Array.isArray(item))) return input.map((tokens: unknown[]) => tokens.join(' '));
  }
  throw invalid(
    "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    'input',
  );
}

function nonEmpty(text: string): string {
  if (text === '')
    throw invalid(
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
      'input',
    );
  return text;
}

function invalid(message: string, param: string | null): FakeHttpError {
  return new FakeHttpError(400, { error: { message, type: 'invalid_request_error', param, code: null } });
}
