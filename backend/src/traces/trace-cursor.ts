/** Where a page of traces ends: the last trace's start and id. */
export interface TraceCursor {
  readonly startedAt: string;
  readonly traceId: string;
}

export class InvalidTraceCursorError extends Error {
  override readonly name = 'InvalidTraceCursorError';
}

export const encodeTraceCursor = (trace: { startedAt: string; id: string }): string =>
  Buffer.from(JSON.stringify([trace.startedAt, trace.id])).toString('base64url');

/** Throws InvalidTraceCursorError for anything `encodeTraceCursor` did not make. */
export function decodeTraceCursor(cursor: string): TraceCursor {
  try {
    const [startedAt, traceId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (
      typeof startedAt === 'string' &&
      typeof traceId === 'string' &&
      !Number.isNaN(Date.parse(startedAt))
    ) {
      return { startedAt, traceId };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidTraceCursorError('`after` is not a cursor this API returned');
}
