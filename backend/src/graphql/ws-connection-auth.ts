import { Logger } from '@nestjs/common';
import type { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import type WebSocket from 'ws';
import { CallerResolver, type Caller, type HttpLike } from '../auth/caller';
import { isDomainError, UnauthenticatedError } from '../common/errors';
import { batchSocketWrites } from '../live/batched-socket-writes';
import { graphqlErrorOf } from './graphql-errors';

type WsExtra = { request: HttpLike; socket: WebSocket; caller?: unknown; refusal?: GraphQLError };
type OnSubscribe<A extends unknown[]> = (ctx: unknown, ...rest: A) => readonly GraphQLError[] | undefined;

/**
 * graphql-ws `onConnect`: authenticates once per connection; resolvers re-check validity on every
 * use. A connection without valid credentials is still accepted — closing it (4403) would tell a
 * client nothing it could branch on — but holds no caller, and each of its operations is refused
 * (see `refuseUnauthenticated`). An accepted connection's messages of one event-loop turn are written
 * together (live feeds).
 */
export function authenticateConnection(callers: CallerResolver) {
  return (context: Context<Record<string, unknown> | undefined, unknown>): true => {
    const extra = context.extra as WsExtra;
    try {
      extra.caller = callers.fromConnection(extra.request, context.connectionParams);
    } catch (error) {
      new Logger('graphql-ws').debug(`unauthenticated connection: ${(error as Error).message}`);
      extra.refusal = graphqlErrorOf(isDomainError(error) ? error : new UnauthenticatedError());
    }
    batchSocketWrites(extra.socket);
    return true;
  };
}

/**
 * graphql-ws `onSubscribe`: an operation on a connection without a caller, or whose caller is no
 * longer valid (key revoked, session ended), gets an `error` message (`UNAUTHENTICATED`, or `CSRF`
 * for a session cookie from another origin) before anything is parsed or run — one message that
 * ends it, so a client does not re-subscribe as after a completed stream. The others go on to `next`.
 */
export function refuseUnauthenticated<A extends unknown[]>(
  callers: CallerResolver,
  next: OnSubscribe<A>,
): OnSubscribe<A> {
  return (ctx, ...rest) => {
    const { refusal, caller } = (ctx as { extra: WsExtra }).extra;
    if (!caller) return [refusal ?? graphqlErrorOf(new UnauthenticatedError())];
    if (!callers.stillValid(caller as Caller)) return [graphqlErrorOf(new UnauthenticatedError())];
    return next(ctx, ...rest);
  };
}
