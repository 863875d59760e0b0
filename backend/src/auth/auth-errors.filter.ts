import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import {
  CsrfError,
  ForbiddenError,
  InvalidInputError,
  ProjectNotFoundError,
  TooManyRequestsError,
  UnauthenticatedError,
} from './auth-errors';

type KnownError =
  | UnauthenticatedError
  | ProjectNotFoundError
  | ForbiddenError
  | CsrfError
  | TooManyRequestsError
  | InvalidInputError;

function describe(error: KnownError): { status: number; code: string } {
  if (error instanceof UnauthenticatedError) return { status: 401, code: 'UNAUTHENTICATED' };
  if (error instanceof ProjectNotFoundError) return { status: 404, code: 'NOT_FOUND' };
  if (error instanceof ForbiddenError) return { status: 403, code: 'FORBIDDEN' };
  if (error instanceof CsrfError) return { status: 403, code: 'CSRF' };
  if (error instanceof TooManyRequestsError) return { status: 429, code: 'TOO_MANY_REQUESTS' };
  return { status: 400, code: 'BAD_USER_INPUT' };
}

/** Turns the auth layer's typed errors into HTTP statuses or GraphQL error codes. */
@Catch(
  UnauthenticatedError,
  ProjectNotFoundError,
  ForbiddenError,
  CsrfError,
  TooManyRequestsError,
  InvalidInputError,
)
export class AuthErrorsFilter implements ExceptionFilter<KnownError> {
  catch(error: KnownError, host: ArgumentsHost): GraphQLError | void {
    const { status, code } = describe(error);
    const detail = error instanceof InvalidInputError ? error.code : undefined;
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(error.message, { extensions: { code, ...(detail ? { reason: detail } : {}) } });
    }
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof TooManyRequestsError) res.setHeader('retry-after', String(error.retryAfterSeconds));
    res.status(status).json({ error: { message: error.message, code: detail ?? code.toLowerCase() } });
  }
}
