import { UnauthenticatedError } from '../common/errors';
import type { Caller, CallerResolver } from './caller';
import type { GraphqlContext } from '../graphql/graphql-context';

/** The caller of a GraphQL operation: over HTTP from the request, over graphql-ws from connect time. */
export function callerOf(callers: CallerResolver, context: GraphqlContext): Caller {
  if (context.extra?.request) {
    const caller = context.extra.caller as Caller | undefined;
    if (!caller || !callers.stillValid(caller)) throw new UnauthenticatedError();
    return caller;
  }
  if (context.req?.headers) return callers.fromHttp(context.req);
  throw new UnauthenticatedError();
}
