import { newSpanId, newTraceId } from '@sightline/schemas';
import { eventually, spanEvent } from '../../test/support/events';
import { startGatewayApp, type GatewayApp } from '../../test/support/gateway-app';
import { CallerResolver } from '../auth/caller';
import { EventRecorder } from '../eventlog/event-recorder';

interface Answer {
  data?: { generationRequest: Record<string, string | null> } | null;
  errors?: { extensions?: { code?: string; reason?: string } }[];
}

const QUERY = `query($id: ID!) { generationRequest(id: $id) {
  generationId model provider messages params tools responseFormat } }`;

describe('GraphQL generationRequest: a recorded request, whole, for the playground', () => {
  let gw: GatewayApp;
  const auth = () => ({ authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' });
  const generationRequest = async (id: string): Promise<Answer> => {
    const res = await fetch(`${gw.base}/graphql`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ query: QUERY, variables: { id } }),
    });
    return (await res.json()) as Answer;
  };

  beforeAll(async () => {
    gw = await startGatewayApp('playground-request', {});
  });
  afterAll(() => gw.app.close());

  it('given a call with tools, parameters and a JSON schema, returns them as sent', async () => {
    const tool = {
      type: 'function',
      function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    };
    const responseFormat = {
      type: 'json_schema',
      json_schema: { name: 'answer', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
    };
    const res = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({
        model: 'mock-1',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather in Lyon?' },
        ],
        temperature: 0.3,
        seed: 7,
        tools: [tool],
        response_format: responseFormat,
      }),
    });
    expect(res.status).toBe(200);
    const spanId = res.headers.get('x-sightline-span-id')!;

    const answer = await eventually(
      () => generationRequest(spanId),
      (a) => !!a.data?.generationRequest,
    );
    const request = answer.data!.generationRequest;
    expect(request).toMatchObject({ generationId: spanId, model: 'mock-1', provider: 'mock' });
    expect(JSON.parse(request.messages!)).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather in Lyon?' },
    ]);
    expect(JSON.parse(request.params!)).toMatchObject({ temperature: 0.3, seed: 7 });
    expect(JSON.parse(request.tools!)).toEqual([tool]);
    expect(JSON.parse(request.responseFormat!)).toEqual(responseFormat);
  });

  it('given a tool span recorded in its trace, lists what the tool returned, with the call it answered', async () => {
    const traceId = newTraceId();
    const res = await fetch(`${gw.base}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'x-sightline-trace-id': traceId },
      body: JSON.stringify({
        model: 'mock-1',
        messages: [{ role: 'user', content: 'Order 7? [mock:tool:lookup]' }],
      }),
    });
    expect(res.status).toBe(200);
    const spanId = res.headers.get('x-sightline-span-id')!;
    const callers = gw.app.get(CallerResolver);
    const { projectId } = callers.authorize(
      callers.fromHttp({ headers: { authorization: `Bearer ${gw.apiKey}` } }),
      undefined,
      'member',
    );
    const at = { projectId, traceId };
    await gw.app.get(EventRecorder).record([
      spanEvent(
        { ...at, spanId: newSpanId() },
        {
          kind: 'tool',
          name: 'lookup',
          output: { status: 'shipped' },
          metadata: { tool_call_id: 'call_1' },
        },
      ),
      spanEvent({ ...at, spanId: newSpanId() }, { kind: 'tool', name: 'no output yet' }),
      spanEvent({ ...at, spanId: newSpanId() }, { kind: 'agent', name: 'plan', output: 'not a tool' }),
    ]);

    const query = `query($id: ID!) { generationRequest(id: $id) { recordedToolResults { name toolCallId output } } }`;
    const answer = await eventually(
      async () => {
        const r = await fetch(`${gw.base}/graphql`, {
          method: 'POST',
          headers: auth(),
          body: JSON.stringify({ query, variables: { id: spanId } }),
        });
        return (await r.json()) as { data?: { generationRequest: { recordedToolResults: unknown[] } } };
      },
      (a) => (a.data?.generationRequest.recordedToolResults.length ?? 0) > 0,
    );
    expect(answer.data!.generationRequest.recordedToolResults).toEqual([
      { name: 'lookup', toolCallId: 'call_1', output: '{"status":"shipped"}' },
    ]);
  });

  it('given an id with no recorded request, answers NOT_FOUND generation_not_found', async () => {
    const answer = await generationRequest('0123456789abcdef');
    expect(answer.errors?.[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'generation_not_found',
    });
  });
});
