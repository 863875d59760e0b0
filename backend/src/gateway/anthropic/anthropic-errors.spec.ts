import {
  InvalidInputError,
  PayloadTooLargeError,
  ProviderError,
  TooManyRequestsError,
  UnauthenticatedError,
  UnknownModelError,
  ForbiddenError,
  ProviderNotConfiguredError,
} from '../../common/errors';
import { anthropicError, anthropicStreamError } from './anthropic-errors';

describe('Anthropic error mapper', () => {
  it.each([
    [
      new InvalidInputError('n > 1 cannot be translated', 'unsupported_feature', 'n'),
      400,
      'invalid_request_error',
    ],
    [new PayloadTooLargeError(10), 413, 'request_too_large'],
    [new UnauthenticatedError(), 401, 'authentication_error'],
    [new ForbiddenError(), 403, 'permission_error'],
    [new UnknownModelError('claude-nope'), 404, 'not_found_error'],
    [new TooManyRequestsError(3), 429, 'rate_limit_error'],
    [
      new ProviderNotConfiguredError('claude-x', 'anthropic', 'Anthropic', 'set ANTHROPIC_API_KEY'),
      400,
      'invalid_request_error',
    ],
    [new ProviderError('slow down', 429, 'provider_error', { 'retry-after': '7' }), 429, 'rate_limit_error'],
    [new ProviderError('bad', 400, 'provider_error'), 400, 'invalid_request_error'],
    [new ProviderError('down', 503, 'provider_error', { 'retry-after': '1' }), 502, 'api_error'],
    [new ProviderError('too slow', null, 'timeout'), 504, 'timeout_error'],
    [new ProviderError('refused', null, 'provider_unreachable'), 502, 'api_error'],
  ])('%s → %i %s', (error, status, type) => {
    const answer = anthropicError(error);
    expect(answer).toMatchObject({ status, unexpected: false, body: { type: 'error', error: { type } } });
    if (!(error instanceof UnauthenticatedError)) expect(answer.body.error.message).toContain(error.message);
  });

  it('keeps retry hints on client errors, drops them on server errors', () => {
    expect(anthropicError(new TooManyRequestsError(3)).headers).toEqual({ 'retry-after': '3' });
    expect(
      anthropicError(new ProviderError('x', 429, 'provider_error', { 'retry-after': '7' })).headers,
    ).toEqual({
      'retry-after': '7',
    });
    expect(
      anthropicError(new ProviderError('x', 503, 'provider_error', { 'retry-after': '1' })).headers,
    ).toEqual({});
  });

  it('answers anything unexpected with a generic api_error, flagged for the log', () => {
    const answer = anthropicError(new Error('secret internals'));
    expect(answer).toEqual({
      status: 500,
      headers: {},
      body: { type: 'error', error: { type: 'api_error', message: 'Internal error.' }, request_id: null },
      unexpected: true,
    });
  });

  it("ends a stream with Anthropic's error event", () => {
    const answer = anthropicError(new ProviderError('Overloaded', 529, 'provider_error'));
    expect(anthropicStreamError(answer)).toBe(`event: error\ndata: ${JSON.stringify(answer.body)}\n\n`);
  });
});
