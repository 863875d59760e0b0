import { InvalidInputError } from '../../../common/errors';
import { shownValue } from '../schema-errors';

/** A feature the other side cannot express: a 400 naming it, never a silent drop. */
export function unsupported(feature: string, target: string, param: string | null = null): InvalidInputError {
  return new InvalidInputError(`${feature} cannot be translated to ${target}.`, 'unsupported_feature', param);
}

/** A malformed body: a 400 naming the field, worded like Anthropic's own validation messages. */
export function invalid(param: string, problem: string): InvalidInputError {
  return new InvalidInputError(`${param}: ${problem}`, 'invalid_request', param);
}

/** A required field absent (`Field required`, as Anthropic says) or present but not `expected`. */
export function malformed(param: string, value: unknown, expected: string): InvalidInputError {
  if (value === undefined) return invalid(param, `Field required (${expected})`);
  return invalid(param, `must be ${expected} (got ${shownValue(value)})`);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
