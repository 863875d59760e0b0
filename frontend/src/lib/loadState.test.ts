import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from './graphql/client';
import { settle } from './loadState';

describe('settle', () => {
  it('wraps data, FORBIDDEN and other errors', async () => {
    await expect(settle(async () => 42)).resolves.toEqual({ status: 'ready', data: 42 });
    await expect(
      settle(async () => {
        throw new GraphQLRequestError('Your role in this project does not allow this', 200, ['FORBIDDEN']);
      }),
    ).resolves.toEqual({ status: 'forbidden' });
    await expect(
      settle(async () => {
        throw new GraphQLRequestError('Project not found', 200, ['NOT_FOUND']);
      }),
    ).resolves.toEqual({ status: 'error', message: 'Project not found' });
  });
});
