import type { Request } from 'express';

/** What resolvers get as context: the HTTP request, or the graphql-ws connection's `extra`. */
export interface GraphqlContext {
  readonly req?: Request;
  readonly extra?: unknown;
}
