// Paging through the audit log, newest first: `auditLog(before)` answers a page and the cursor of the
// next older one. The pager keeps the `before` of every page opened so "newer" can go back.

export interface CursorPager {
  /** `before` of each page opened so far; the last one is shown. The first page has none (null). */
  readonly stack: readonly (string | null)[];
}

export const firstPage: CursorPager = { stack: [null] };

/** The `before` cursor of the page shown. */
export function currentCursor(pager: CursorPager): string | null {
  return pager.stack[pager.stack.length - 1] ?? null;
}

/** One page older, with the `nextCursor` the shown page answered; unchanged when there is none. */
export function older(pager: CursorPager, nextCursor: string | null | undefined): CursorPager {
  return nextCursor ? { stack: [...pager.stack, nextCursor] } : pager;
}

export function hasNewer(pager: CursorPager): boolean {
  return pager.stack.length > 1;
}

/** One page newer; unchanged on the first page. */
export function newer(pager: CursorPager): CursorPager {
  return hasNewer(pager) ? { stack: pager.stack.slice(0, -1) } : pager;
}

/** 1 for the newest page. */
export function pageNumber(pager: CursorPager): number {
  return pager.stack.length;
}
