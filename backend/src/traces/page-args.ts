import { InvalidInputError } from '../common/errors';
import { MAX_TRACES_PAGE } from './trace-queries';

export const badInput = (message: string, param: string) =>
  new InvalidInputError(message, 'invalid_argument', param);

/** `first` of a connection. @throws InvalidInputError unless 1 ≤ first ≤ MAX_TRACES_PAGE. */
export function pageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_TRACES_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_TRACES_PAGE}`, 'first');
  }
  return first;
}
