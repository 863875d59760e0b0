import { describe, expect, it } from 'vitest';
import {
  AuthRequestError,
  errorKind,
  errorMessage,
  GraphQLRequestError,
  isForbidden,
  isUnauthenticated,
  NetworkError,
} from './errors';

const gql = (code: string, message = 'server says') => new GraphQLRequestError(message, 200, [code]);

describe('errorKind', () => {
  it('reads the GraphQL error codes', () => {
    expect(
      [
        'BAD_USER_INPUT',
        'UNAUTHENTICATED',
        'CSRF',
        'FORBIDDEN',
        'NOT_FOUND',
        'CONFLICT',
        'TOO_MANY_REQUESTS',
      ].map((code) => errorKind(gql(code))),
    ).toEqual(['invalid', 'unauthenticated', 'csrf', 'forbidden', 'not_found', 'conflict', 'rate_limited']);
    expect(errorKind(gql('PROVIDER_ERROR'))).toBe('provider');
    expect(errorKind(gql('INTERNAL_SERVER_ERROR'))).toBe('server');
  });

  it('falls back to the HTTP status, and takes 401 as signed out whatever the code', () => {
    expect(errorKind(new GraphQLRequestError('GraphQL request failed: HTTP 502', 502))).toBe('server');
    expect(errorKind(new GraphQLRequestError('x', 401, ['SOMETHING_ELSE']))).toBe('unauthenticated');
    expect(errorKind(new GraphQLRequestError('x', 200, ['UNKNOWN_CODE']))).toBeNull();
  });

  it('reads /auth errors by status, and their csrf code', () => {
    expect(errorKind(new AuthRequestError('Wrong email or password', 401, 'unauthenticated'))).toBe(
      'unauthenticated',
    );
    expect(errorKind(new AuthRequestError('Missing or wrong CSRF token', 403, 'csrf'))).toBe('csrf');
    expect(errorKind(new AuthRequestError('no', 403, 'forbidden'))).toBe('forbidden');
    expect(errorKind(new AuthRequestError('Too many attempts', 429, 'too_many_requests'))).toBe(
      'rate_limited',
    );
    expect(errorKind(new AuthRequestError('short', 400, 'weak_password'))).toBe('invalid');
  });

  it('reads raw GraphQL errors of a subscription', () => {
    expect(errorKind([{ message: 'x', extensions: { code: 'UNAUTHENTICATED' } }])).toBe('unauthenticated');
    expect(errorKind([{ message: 'y' }, { message: 'x', extensions: { code: 'NOT_FOUND' } }])).toBe(
      'not_found',
    );
    expect(errorKind([{ message: 'y' }])).toBeNull();
  });

  it('knows nothing of other errors', () => {
    expect(errorKind(new Error('Authentication required'))).toBeNull();
    expect(errorKind(undefined)).toBeNull();
    expect(errorKind(new NetworkError(new TypeError('Failed to fetch')))).toBe('network');
  });

  it('answers the questions the pages ask', () => {
    expect(isUnauthenticated(gql('UNAUTHENTICATED'))).toBe(true);
    expect(isUnauthenticated(gql('NOT_FOUND'))).toBe(false);
    expect(isUnauthenticated(undefined)).toBe(false);
    expect(isForbidden(gql('FORBIDDEN'))).toBe(true);
    expect(isForbidden(gql('BAD_USER_INPUT'))).toBe(false);
  });
});

describe('errorMessage', () => {
  it("shows the server's words where they are written for people", () => {
    expect(errorMessage(gql('BAD_USER_INPUT', 'Unknown organization.'))).toBe('Unknown organization.');
    expect(errorMessage(gql('CONFLICT', 'A project keeps at least one owner.'))).toBe(
      'A project keeps at least one owner.',
    );
    expect(errorMessage(gql('NOT_FOUND', 'Project not found'))).toBe('Project not found');
    expect(
      errorMessage(new AuthRequestError('Too many attempts, retry in 3 s.', 429, 'too_many_requests')),
    ).toBe('Too many attempts, retry in 3 s.');
  });

  it('says the kinds whose server text is not for people', () => {
    expect(errorMessage(gql('CSRF', 'Missing or wrong CSRF token'))).toBe(
      'This page is out of date with your session. Reload it and try again.',
    );
    expect(errorMessage(gql('INTERNAL_SERVER_ERROR', 'Internal server error'))).toBe(
      'Something went wrong on the server. Try again in a moment.',
    );
    expect(errorMessage(new GraphQLRequestError('GraphQL request failed: HTTP 502', 502))).toBe(
      'Something went wrong on the server (HTTP 502). Try again in a moment.',
    );
    expect(errorMessage(new NetworkError(new TypeError('Failed to fetch')))).toBe(
      'The Sightline server could not be reached. Check the connection and retry.',
    );
  });

  it('describes what is not an API error', () => {
    expect(errorMessage(new Error('HTTP 502'))).toBe('HTTP 502');
    expect(errorMessage([{ message: 'a' }, { message: 'b' }])).toBe('a; b');
    expect(errorMessage({ code: 1006, reason: '' })).toBe('connection closed (1006)');
    expect(errorMessage({ code: 4403, reason: 'Forbidden' })).toBe('connection closed (4403: Forbidden)');
    expect(errorMessage('boom')).toBe('boom');
  });
});
