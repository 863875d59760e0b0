import type { Request } from 'express';

/** What resolvers get as context: the HTTP request, or the graphql-ws connection's `extra`. */
export interface GraphqlContext {
  readonly req?: Request;
  /** graphql-ws: set on connect by the auth layer (`caller`), plus the upgrade request. */
  readonly extra?: { caller?: unknown; request?: Request };
  readonly connectionParams?: Readonly<Record<string, unknown>>;
}
