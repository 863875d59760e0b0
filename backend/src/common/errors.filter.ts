import { Catch, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import type { GraphQLError } from 'graphql';
import { toGraphqlError } from '../graphql/graphql-errors';
import { isDomainError } from './errors';
import { restError } from './rest-errors';

/**
 * Everything a Nest handler throws: GraphQL resolvers (HTTP and graphql-ws) get GraphQL errors,
 * REST controllers plain JSON; the rest (Nest's own HTTP exceptions, unexpected errors) is Nest's
 * default answer, unexpected errors logged. The gateway answers its own errors in OpenAI's shape.
 */
@Catch()
export class ErrorsFilter extends BaseExceptionFilter {
  override catch(error: unknown, host: ArgumentsHost): GraphQLError | void {
    if (host.getType<string>() === 'graphql') return toGraphqlError(error);
    if (!isDomainError(error)) return super.catch(error, host);
    const { status, headers, body } = restError(error);
    const res = host.switchToHttp().getResponse<Response>();
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.status(status).json(body);
  }
}
