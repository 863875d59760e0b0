import { InvalidInputError } from '../../../common/errors';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A feature the other side cannot express: a 400 naming it, never a silent drop. */
export function unsupported(feature: string, param: string): InvalidInputError {
  return new InvalidInputError(
    `${feature} cannot be translated for this model's provider; call a model served through the OpenAI Responses API to use it`,
    'unsupported_feature',
    param,
  );
}

export function invalid(message: string, param: string | null): InvalidInputError {
  return new InvalidInputError(message, 'invalid_request', param);
}

/** Absent (undefined or null) values are left out of the translated body. */
export function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export function optionalString(body: Json, key: string, param = key): string | undefined {
  const value = body[key];
  if (!present(value)) return undefined;
  if (typeof value !== 'string') throw invalid(`'${param}' must be a string`, param);
  return value;
}

/** Copies the keys of `from` whose value is present, under the given names. */
export function pick(from: Json, names: Readonly<Record<string, string>>): Json {
  const out: Json = {};
  for (const [source, target] of Object.entries(names)) if (present(from[source])) out[target] = from[source];
  return out;
}
