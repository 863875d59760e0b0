import { invalid as invalidValue } from '../translation-helpers';

export { isRecord as isObject, unsupported } from '../translation-helpers';

export const GEMINI = 'the Gemini API';
export const HUB = 'OpenAI Chat Completions';

/** A malformed body: a 400 naming the field (`param` says what is wrong with it). */
export function invalid(param: string, problem: string) {
  return invalidValue(`'${param}' ${problem}`, param);
}

/** `value` when it is a finite number, else undefined. */
export function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Drops the keys whose value is undefined, keeping the record's type (JSON bodies without absent keys). */
export function defined<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}
