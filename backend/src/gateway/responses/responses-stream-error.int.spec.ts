import type { NestExpressApplication } from '@nestjs/platform-express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGatewayApp } from '../../../test/support/gateway-app';

/**
 * An OpenAI-compatible provider (Groq's wire format) whose streams fail at once: the first `data:`
 * is OpenAI's mid-stream `{"error": …}`, before any chunk.
 */
async function failingAtOnce(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      const error = {
        message: 'The server is overloaded',
        type: 'server_error',
        param: null,
        code: 'overloaded',
      };
      res.end(`data: ${JSON.stringify({ error })}\n\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface StreamEvent {
  type: string;
  sequence_number: number;
  code?: string | null;
  message?: string;
}

async function eventsOf(res: Response): Promise<StreamEvent[]> {
  return (await res.text())
    .split('\n\n')
    .filter((frame) => frame.includes('data: '))
    .map((frame) => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as StreamEvent);
}

/** A Responses stream that breaks ends with an `error` event numbered after the last event sent (0 when none was). */
describe('Responses API stream error', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;
  let upstream: { server: Server; url: string };

  beforeAll(async () => {
    upstream = await failingAtOnce();
    ({ app, base, apiKey } = await startGatewayApp('responses-error', {
      GROQ_API_KEY: 'gsk-test',
      GROQ_BASE_URL: upstream.url,
      SIGHTLINE_MAX_ATTEMPTS: '1',
    }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => upstream?.server.close(resolve));
  });

  const post = (body: object) =>
    fetch(`${base}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
    });

  it('continues the sequence_number of the events before it', async () => {
    const res = await post({ model: 'mock-1', input: 'Break [mock:fail:3]', stream: true });
    expect(res.status).toBe(200);
    const events = await eventsOf(res);

    const error = events.at(-1)!;
    expect(error.type).toBe('error');
    expect(events.length).toBeGreaterThan(4);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(3);
  });

  it('is numbered 0 when the provider failed before any event was sent', async () => {
    const res = await post({ model: 'groq/llama-3.3-70b-versatile', input: 'Hi', stream: true });
    expect(res.status).toBe(200);

    expect(await eventsOf(res)).toEqual([
      {
        type: 'error',
        sequence_number: 0,
        code: 'provider_error',
        message: 'Provider error: The server is overloaded',
        param: null,
      },
    ]);
  });
});
