/**
 * ClickHouse errors that refuse the data itself: the same rows fail the same way on every try.
 * Everything else (connection refused, timeouts, memory, too many parts...) is an outage: retry.
 * Names from ClickHouse's ErrorCodes.cpp; both the server client and chDB report them as `type`.
 */
const DATA_REFUSALS: ReadonlySet<string> = new Set([
  'ARGUMENT_OUT_OF_BOUND',
  'CANNOT_CONVERT_TYPE',
  'CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN',
  'CANNOT_PARSE_BOOL',
  'CANNOT_PARSE_DATE',
  'CANNOT_PARSE_DATETIME',
  'CANNOT_PARSE_ESCAPE_SEQUENCE',
  'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  'CANNOT_PARSE_NUMBER',
  'CANNOT_PARSE_QUOTED_STRING',
  'CANNOT_PARSE_TEXT',
  'CANNOT_PARSE_UUID',
  'DECIMAL_OVERFLOW',
  'INCORRECT_DATA',
  'TOO_LARGE_STRING_SIZE',
  'TYPE_MISMATCH',
  'UNKNOWN_ELEMENT_IN_ENUM',
  'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
]);

/** Whether ClickHouse refused the rows of an insert (poison), as opposed to being unavailable. */
export function isDataRefusal(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return typeof type === 'string' && DATA_REFUSALS.has(type);
}
