import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { openAiError } from '../gateway/openai-errors';
import { formatGraphqlError, toGraphqlError } from '../graphql/graphql-errors';
import {
  ConflictError,
  CsrfError,
  ForbiddenError,
  InvalidInputError,
  PayloadTooLargeError,
  ProjectNotFoundError,
  ProviderError,
  ProviderNotConfiguredError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnknownModelError,
  type DomainError,
} from './errors';
import { restError } from './rest-errors';

interface Expected {
  readonly graphql: string;
  readonly rest: number;
  readonly openAi: { readonly status: number; readonly type: string; readonly code: string };
}

/** One of each kind, and how each transport answers it. */
const cases: [DomainError, Expected][] = [
  [
    new InvalidInputError('Passwords need at least 12 characters.', 'weak_password'),
    {
      graphql: 'BAD_USER_INPUT',
      rest: 400,
      openAi: { status: 400, type: 'invalid_request_error', code: 'weak_password' },
    },
  ],
  [
    new PayloadTooLargeError(1024),
    {
      graphql: 'BAD_USER_INPUT',
      rest: 413,
      openAi: { status: 413, type: 'invalid_request_error', code: 'body_too_large' },
    },
  ],
  [
    new UnauthenticatedError(),
    {
      graphql: 'UNAUTHENTICATED',
      rest: 401,
      openAi: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
    },
  ],
  [
    new CsrfError(),
    {
      graphql: 'CSRF',
      rest: 403,
      openAi: { status: 401, type: 'authentication_error', code: 'invalid_api_key' },
    },
  ],
  [
    new ForbiddenError(),
    { graphql: 'FORBIDDEN', rest: 403, openAi: { status: 403, type: 'permission_error', code: 'forbidden' } },
  ],
  [
    new ProjectNotFoundError(),
    {
      graphql: 'NOT_FOUND',
      rest: 404,
      openAi: { status: 404, type: 'invalid_request_error', code: 'project_not_found' },
    },
  ],
  [
    new ConflictError('Someone else changed this project first.', 'stale_version'),
    {
      graphql: 'CONFLICT',
      rest: 409,
      openAi: { status: 409, type: 'invalid_request_error', code: 'stale_version' },
    },
  ],
  [
    new TooManyRequestsError(3),
    {
      graphql: 'TOO_MANY_REQUESTS',
      rest: 429,
      openAi: { status: 429, type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    },
  ],
  [
    new UnknownModelError('gpt-9'),
    {
      graphql: 'BAD_USER_INPUT',
      rest: 400,
      openAi: { status: 404, type: 'invalid_request_error', code: 'model_not_found' },
    },
  ],
  [
    new ProviderNotConfiguredError('claude-x', 'anthropic', 'Anthropic', 'set ANTHROPIC_API_KEY'),
    {
      graphql: 'BAD_USER_INPUT',
      rest: 400,
      openAi: { status: 400, type: 'invalid_request_error', code: 'provider_not_configured' },
    },
  ],
  [
    new ProviderError('overloaded', 503, 'provider_error'),
    {
      graphql: 'PROVIDER_ERROR',
      rest: 502,
      openAi: { status: 502, type: 'api_error', code: 'provider_error' },
    },
  ],
];

describe('one error model, mapped once per transport', () => {
  it.each(cases)('%p', (error, expected) => {
    const graphql = toGraphqlError(error);
    expect(graphql.extensions).toMatchObject({ code: expected.graphql, reason: error.reason });
    expect(graphql.message).toBe(error.message);

    const rest = restError(error);
    expect(rest.status).toBe(expected.rest);
    expect(rest.body).toEqual({ error: { message: error.message, code: error.reason } });

    const openAi = openAiError(error);
    expect({ status: openAi.status, ...openAi.body.error }).toMatchObject(expected.openAi);
    expect(openAi.unexpected).toBe(false);
  });

  it('covers every kind', () => {
    expect(new Set(cases.map(([error]) => error.kind)).size).toBe(11);
  });

  it('offers close matches for an unknown model, and names what configures a provider', () => {
    const unknown = new UnknownModelError('gpt-4-o', ['gpt-4o', 'gpt-4o-mini']);
    expect(openAiError(unknown).body.error.message).toBe(
      "The model 'gpt-4-o' does not exist or you do not have access to it. Did you mean 'gpt-4o' or 'gpt-4o-mini'?",
    );
    expect(toGraphqlError(unknown).extensions.suggestions).toEqual(['gpt-4o', 'gpt-4o-mini']);
    expect(new UnknownModelError('zzz').message).toBe("No provider serves the model 'zzz'.");

    const missing = new ProviderNotConfiguredError(
      'claude-x',
      'anthropic',
      'Anthropic',
      'set ANTHROPIC_API_KEY',
    );
    expect(openAiError(missing).body.error).toMatchObject({
      message: "The model 'claude-x' is served by Anthropic, which is not configured: set ANTHROPIC_API_KEY.",
      param: 'model',
    });
    expect(toGraphqlError(missing).extensions).toMatchObject({
      reason: 'provider_not_configured',
      provider: 'anthropic',
    });
  });

  it('says when to retry, in each transport', () => {
    const limited = new TooManyRequestsError(7);
    expect(restError(limited).headers).toEqual({ 'retry-after': '7' });
    expect(openAiError(limited).headers).toEqual({ 'retry-after': '7' });
    expect(toGraphqlError(limited).extensions.retryAfterSeconds).toBe(7);
  });

  it("keeps a provider's status and retry hints on its client errors, not on its outages", () => {
    const hints = { 'retry-after': '2', 'x-ratelimit-reset-requests': '2s' };
    const limited = new ProviderError('Rate limit reached', 429, 'provider_error', hints);
    expect(openAiError(limited)).toMatchObject({ status: 429, headers: hints });
    expect(openAiError(limited).body.error.type).toBe('rate_limit_error');
    expect(toGraphqlError(limited).extensions).toMatchObject({ providerStatus: 429, retryAfterSeconds: 2 });

    const down = new ProviderError('Bad gateway', 503, 'provider_error', hints);
    expect(openAiError(down)).toMatchObject({ status: 502, headers: {} });
    expect(openAiError(new ProviderError('slow', null, 'timeout')).status).toBe(504);
  });

  it('names the offending field of a gateway request', () => {
    const error = new InvalidInputError(
      "Invalid value for 'messages.0.role'",
      'invalid_value',
      'messages.0.role',
    );
    expect(openAiError(error).body.error.param).toBe('messages.0.role');
    expect(toGraphqlError(error).extensions.param).toBe('messages.0.role');
  });
});

describe('unexpected errors', () => {
  const internals = new Error("ENOENT: no such file or directory, open '/srv/sightline/data/secret.db'");
  let logged: jest.SpyInstance;
  beforeEach(() => (logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)));
  afterEach(() => logged.mockRestore());

  it('reach GraphQL callers as INTERNAL_SERVER_ERROR with a generic message, and the log with the stack', () => {
    const answered = toGraphqlError(internals);
    expect(answered.message).toBe('Internal server error');
    expect(answered.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(logged).toHaveBeenCalledWith(expect.stringContaining(internals.stack!));
  });

  it('reach gateway callers as a generic 500, flagged for the log', () => {
    expect(openAiError(internals)).toMatchObject({
      status: 500,
      body: { error: { message: 'Internal error.', code: 'internal_error' } },
      unexpected: true,
    });
  });

  it("are masked by Apollo's formatError when they skipped the resolver filter", () => {
    const located = new GraphQLError(internals.message, { path: ['generations'], originalError: internals });
    const formatted = formatGraphqlError(
      { message: internals.message, path: ['generations'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      located,
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      path: ['generations'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(logged).toHaveBeenCalledTimes(1);
  });

  it('leave errors made on purpose as they are', () => {
    const validation = new GraphQLError('Cannot query field "secret" on type "Query".', {
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const formatted = { message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(formatGraphqlError(formatted, validation)).toBe(formatted);
    const typed = new GraphQLError('x', { path: ['viewer'], originalError: new UnauthenticatedError() });
    expect(
      formatGraphqlError({ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }, typed),
    ).toEqual({
      message: 'Authentication required',
      extensions: { code: 'UNAUTHENTICATED', reason: 'unauthenticated' },
    });
    expect(logged).not.toHaveBeenCalled();
  });
});
