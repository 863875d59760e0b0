import type { NestExpressApplication } from '@nestjs/platform-express';
import { startGatewayApp } from '../../test/support/gateway-app';

/** The gateway's answers at its edges: URLs no route takes, bodies that fail validation. */
describe('gateway edges', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    ({ app, base, apiKey } = await startGatewayApp('gateway-edges', {}));
  });
  afterAll(() => app?.close());

  const send = (method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it.each([
    ['GET', '/v1/nope'],
    ['POST', '/v1/chat/completion'],
    ['GET', '/v1/chat/completions'],
  ])('answers %s %s 404 in OpenAI’s shape, code unknown_url', async (method, path) => {
    const res = await send(method, path);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('POST /v1/chat/completions, /v1/responses');
    expect(body.error.message).toContain('and GET /v1/models');
    expect(body).toEqual({
      error: {
        message: expect.stringContaining(
          `Unknown request URL: ${method} ${path}. Please check the URL for typos`,
        ),
        type: 'invalid_request_error',
        param: null,
        code: 'unknown_url',
      },
    });
  });

  it.each([
    ['GET', '/v1/messages'],
    ['POST', '/v1/messages/nope'],
  ])('answers %s %s 404 in Anthropic’s shape', async (method, path) => {
    const res = await send(method, path);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'not_found_error',
        message: expect.stringContaining(`Unknown request URL: ${method} ${path}.`),
      },
    });
  });

  it('leaves other unknown paths to their own answers', async () => {
    const res = await send('GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).not.toHaveProperty('error.code', 'unknown_url');
  });

  it('says what a bad field must be, in either wire format', async () => {
    const chat = await send('POST', '/v1/chat/completions', {
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: -3,
    });
    expect(chat.status).toBe(400);
    expect(await chat.json()).toMatchObject({
      error: {
        message: "Invalid value for 'temperature': must be a number between 0 and 2, or null (got -3).",
        param: 'temperature',
      },
    });
    const messages = await send('POST', '/v1/messages', {
      model: 'gpt-4o',
      max_tokens: -1,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(messages.status).toBe(400);
    expect(await messages.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: 'max_tokens: must be a positive integer (got -1)' },
    });
  });
});
