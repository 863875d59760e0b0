import type { NestExpressApplication } from '@nestjs/platform-express';
import { startGatewayApp } from '../../../test/support/gateway-app';

/** A Responses stream that breaks mid-way ends with an `error` event numbered after the last event sent. */
describe('Responses API stream error', () => {
  let app: NestExpressApplication;
  let base: string;
  let apiKey: string;

  beforeAll(async () => {
    ({ app, base, apiKey } = await startGatewayApp('responses-error', {}));
  }, 60_000);
  afterAll(() => app?.close());

  it('continues the sequence_number of the events before it', async () => {
    const res = await fetch(`${base}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ model: 'mock-1', input: 'Break [mock:fail:3]', stream: true }),
    });
    expect(res.status).toBe(200);
    const events = (await res.text())
      .split('\n\n')
      .filter((frame) => frame.includes('data: '))
      .map(
        (frame) =>
          JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as { type: string; sequence_number: number },
      );

    const error = events.at(-1)!;
    expect(error.type).toBe('error');
    expect(events.length).toBeGreaterThan(4);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => e.type === 'response.output_text.delta')).toHaveLength(3);
  });
});
