import { Catch, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { GraphQLError } from 'graphql';
import { unknownGatewayUrl } from '../gateway/unknown-url';
import { toGraphqlError } from '../graphql/graphql-errors';
import { isDomainError } from './errors';
import { restError } from './rest-errors';

/**
 * Everything a Nest handler throws: GraphQL resolvers (HTTP and graphql-ws) get GraphQL errors,
 * REST controllers plain JSON; the rest (Nest's own HTTP exceptions, unexpected errors) is Nest's
 * default answer, unexpected errors logged. The gateway answers its own errors in OpenAI's shape,
 * and a `/v1/*` URL no route takes (Nest's not-found handler throws NotFoundException) in its wire format.
 */
@Catch()
export class ErrorsFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): GraphQLError | void {
    if (host.getType<string>() === 'graphql') return toGraphqlError(error);
    const res = host.switchToHttp().getResponse<Response>();
    if (error instanceof NotFoundException) {
      const req = host.switchToHttp().getRequest<Request>();
      const unknown = unknownGatewayUrl(req.method, req.path);
      if (unknown) return void res.status(unknown.status).json(unknown.body);
    }
    if (!isDomainError(error)) return super.catch(error, host);
    const { status, headers, body } = restError(error);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).json(body);
  }
}
