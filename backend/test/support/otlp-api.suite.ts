import { MAX_INGEST_BODY_BYTES } from '@sightline/schemas';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ClickHouse } from '../../src/clickhouse/clickhouse';
import { parseApiKey } from '../../src/control/credentials';
import { eventually } from './events';
import { startGatewayApp, type GatewayApp } from './gateway-app';

interface SpanNode {
  id: string;
  parentSpanId: string | null;
  depth: number;
  kind: string;
  name: string;
  source: string;
  status: string;
  statusMessage: string | null;
  model: string | null;
  provider: string | null;
  inputTokens: number;
  outputTokens: number;
  input: string | null;
  output: string | null;
  sessionId: string | null;
  userId: string | null;
  release: string | null;
  environment: string | null;
}
interface TraceAnswer {
  data?: { trace: { trace: { id: string; name: string; spanCount: number }; spans: SpanNode[] } | null };
  errors?: unknown[];
}

const TRACE = `query($id: ID!) { trace(id: $id) {
  trace { id name spanCount }
  spans { id parentSpanId depth kind name source status statusMessage model provider inputTokens outputTokens
    input output sessionId userId release environment } } }`;

const PUBLIC = '/api/public/otel/v1/traces';

/** OTLP/JSON's AnyValue of a plain value (integers as int64 strings, as protobuf's JSON mapping writes them). */
const anyValue = (v: string | number) =>
  typeof v === 'string'
    ? { stringValue: v }
    : Number.isInteger(v)
      ? { intValue: String(v) }
      : { doubleValue: v };

/** One OTLP/JSON span that started a second ago and took 200 ms. */
function span(
  spanId: string,
  parentSpanId: string,
  name: string,
  attributes: Record<string, string | number>,
) {
  const start = BigInt(Date.now() - 1000) * 1_000_000n;
  return {
    traceId: '',
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + 200_000_000n),
    attributes: Object.entries(attributes).map(([key, value]) => ({ key, value: anyValue(value) })),
    status: {},
  };
}

/** Siblings start 10 ms apart, in the order given (a missing start stays missing). */
const later = (nanos: string, index: number) =>
  nanos === '0' ? nanos : String(BigInt(nanos) + BigInt(index) * 10_000_000n);

/** An ExportTraceServiceRequest as OTLP/JSON with `spans` in trace `traceId`. */
const otlpJson = (traceId: string, spans: ReturnType<typeof span>[]) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'py-agent' } }] },
      scopeSpans: [
        {
          scope: { name: 'openinference.instrumentation' },
          spans: spans.map((s, i) => ({ ...s, traceId, startTimeUnixNano: later(s.startTimeUnixNano, i) })),
        },
      ],
    },
  ],
});

/**
 * OTLP/HTTP through the whole app: `env` adds to the test config (empty: the embedded log; with
 * `KAFKA_BROKERS`: Kafka). Run by `otlp.int.spec.ts` and `otlp.kafka.spec.ts`.
 */
export const otlpApiSuite = (mode: string, env: Record<string, string>) =>
  describe(`OTLP/HTTP /v1/traces (${mode}, chDB, the projector)`, () => {
    let gw: GatewayApp;

    beforeAll(async () => {
      gw = await startGatewayApp('otlp', env);
    }, 60_000);
    afterAll(() => gw?.app.close());

    const traceOf = async (id: string, spans: number) => {
      const answer = await eventually(
        async () => {
          const res = await fetch(`${gw.base}/graphql`, {
            method: 'POST',
            headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ query: TRACE, variables: { id } }),
          });
          return (await res.json()) as TraceAnswer;
        },
        (a) => (a.data?.trace?.spans.length ?? 0) >= spans,
      );
      return answer.data!.trace!;
    };

    /** Runs the instrumented app (otel-agent.cjs) against the app under test; the trace id it recorded. */
    async function runAgent(protocol: 'http/protobuf' | 'http/json'): Promise<string> {
      const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'otel-agent.cjs')], {
        env: {
          PATH: process.env.PATH,
          OTEL_EXPORTER_OTLP_ENDPOINT: gw.base,
          OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${gw.apiKey}`,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        },
      });
      return stdout.trim();
    }

    it.each(['http/protobuf', 'http/json'] as const)(
      'records a nested agent trace the OTel SDK exports as %s: kinds, tree, messages, usage, cost',
      async (protocol) => {
        const traceId = await runAgent(protocol);
        const { trace, spans } = await traceOf(traceId, 3);
        expect(trace).toMatchObject({ id: traceId, name: 'invoke_agent weather-agent', spanCount: 3 });
        const [agent, ...children] = spans;
        expect(agent).toMatchObject({
          kind: 'AGENT',
          depth: 0,
          source: 'otlp',
          sessionId: 'sess-42',
          userId: 'user-7',
          release: '1.4.2',
          environment: 'staging',
        });
        const chat = children.find((s) => s.kind === 'GENERATION')!;
        const tool = children.find((s) => s.kind === 'TOOL')!;
        expect(chat).toMatchObject({
          parentSpanId: agent.id,
          depth: 1,
          name: 'chat gpt-4o-mini',
          model: 'gpt-4o-mini',
          provider: 'openai',
          inputTokens: 1000,
          outputTokens: 500,
          release: '1.4.2',
        });
        expect(JSON.parse(chat.input!)).toEqual([
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'Weather in Paris?' },
        ]);
        expect(JSON.parse(chat.output!).choices[0]).toMatchObject({
          toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
          finishReason: 'tool_calls',
        });
        expect(tool).toMatchObject({
          parentSpanId: agent.id,
          status: 'ERROR',
          statusMessage: 'weather service timed out',
        });
        expect(JSON.parse(tool.input!)).toEqual({ city: 'Paris' });

        // Priced from the catalog like a gateway call (gpt-4o-mini: $0.15 in, $0.60 out per million).
        const [generation] = await eventually(
          () =>
            gw.app
              .get(ClickHouse)
              .query<{ cost: string; source: string }>(
                `SELECT toString(cost_usd) AS cost, source FROM generations WHERE span_id = {span:String}`,
                { span: chat.id },
              ),
          (rows) => rows.length === 1,
        );
        expect(generation).toEqual({ cost: '0.00045', source: 'otlp' });
      },
    );
    const post = (body: string | Buffer, headers: Record<string, string>, path = '/v1/traces') =>
      fetch(`${gw.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gw.apiKey}`, 'content-type': 'application/json', ...headers },
        body,
      });

    it('records an OpenLLMetry (Traceloop) export: workflow → chat with gen_ai.prompt.N / gen_ai.completion.N', async () => {
      const traceId = randomBytes(16).toString('hex');
      const workflow = randomBytes(8).toString('hex');
      const chat = randomBytes(8).toString('hex');
      const res = await post(
        JSON.stringify(
          otlpJson(traceId, [
            span(workflow, '', 'joke_generator.workflow', {
              'traceloop.span.kind': 'workflow',
              'traceloop.entity.name': 'joke_generator',
              'traceloop.entity.input': '{"args":[],"kwargs":{"topic":"otters"}}',
              'traceloop.entity.output': '"Why did the otter..."',
              'traceloop.association.properties.session_id': 'chat-9',
            }),
            span(chat, workflow, 'openai.chat', {
              'llm.request.type': 'chat',
              'gen_ai.system': 'OpenAI',
              'gen_ai.request.model': 'gpt-4o-mini',
              'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
              'gen_ai.prompt.0.role': 'system',
              'gen_ai.prompt.0.content': 'You are funny.',
              'gen_ai.prompt.1.role': 'user',
              'gen_ai.prompt.1.content': 'Tell a joke about otters.',
              'gen_ai.completion.0.role': 'assistant',
              'gen_ai.completion.0.content': 'Why did the otter...',
              'gen_ai.completion.0.finish_reason': 'stop',
              'gen_ai.usage.prompt_tokens': 20,
              'gen_ai.usage.completion_tokens': 10,
              'llm.usage.total_tokens': 30,
            }),
          ]),
        ),
        {},
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({});
      const { spans } = await traceOf(traceId, 2);
      expect(spans[0]).toMatchObject({ kind: 'CHAIN', name: 'joke_generator.workflow', sessionId: 'chat-9' });
      expect(JSON.parse(spans[0].input!)).toEqual({ args: [], kwargs: { topic: 'otters' } });
      expect(spans[1]).toMatchObject({
        kind: 'GENERATION',
        parentSpanId: workflow,
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 20,
        outputTokens: 10,
      });
      expect(JSON.parse(spans[1].input!)).toEqual([
        { role: 'system', content: 'You are funny.' },
        { role: 'user', content: 'Tell a joke about otters.' },
      ]);
      expect(JSON.parse(spans[1].output!).choices).toEqual([
        { index: 0, content: 'Why did the otter...', toolCalls: [], finishReason: 'stop' },
      ]);
    });

    it('records the OpenAI Agents SDK as OpenInference instruments it: workflow → agent → LLM + function tool', async () => {
      const traceId = randomBytes(16).toString('hex');
      const [root, agent, llm, tool] = [1, 2, 3, 4].map(() => randomBytes(8).toString('hex'));
      const res = await post(
        JSON.stringify(
          otlpJson(traceId, [
            span(root, '', 'Agent workflow', { 'openinference.span.kind': 'CHAIN' }),
            span(agent, root, 'Assistant', {
              'openinference.span.kind': 'AGENT',
              'graph.node.id': 'Assistant',
              'session.id': 'conv-1',
              'user.id': 'u-1',
            }),
            span(llm, agent, 'response', {
              'openinference.span.kind': 'LLM',
              'llm.system': 'openai',
              'llm.provider': 'openai',
              'llm.model_name': 'gpt-4o-mini',
              'llm.invocation_parameters': '{"model":"gpt-4o-mini","temperature":0.5}',
              'llm.input_messages.0.message.role': 'system',
              'llm.input_messages.0.message.content': 'You only answer in haikus.',
              'llm.input_messages.1.message.role': 'user',
              'llm.input_messages.1.message.content': "What's the weather in Tokyo?",
              'llm.output_messages.0.message.role': 'assistant',
              'llm.output_messages.0.message.tool_calls.0.tool_call.id': 'call_7',
              'llm.output_messages.0.message.tool_calls.0.tool_call.function.name': 'get_weather',
              'llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments': '{"city":"Tokyo"}',
              'llm.token_count.prompt': 60,
              'llm.token_count.completion': 15,
              'llm.token_count.total': 75,
            }),
            span(tool, agent, 'get_weather', {
              'openinference.span.kind': 'TOOL',
              'tool.name': 'get_weather',
              'input.value': '{"city":"Tokyo"}',
              'output.value': 'The weather in Tokyo is sunny.',
            }),
          ]),
        ),
        {},
      );
      expect(res.status).toBe(200);
      const { spans } = await traceOf(traceId, 4);
      expect(spans.map((s) => [s.kind, s.name, s.depth])).toEqual([
        ['CHAIN', 'Agent workflow', 0],
        ['AGENT', 'Assistant', 1],
        ['GENERATION', 'response', 2],
        ['TOOL', 'get_weather', 2],
      ]);
      const generation = spans[2];
      expect(generation).toMatchObject({
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputTokens: 60,
        outputTokens: 15,
      });
      expect(JSON.parse(generation.output!).choices[0].toolCalls).toEqual([
        { id: 'call_7', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      ]);
      expect(spans[1]).toMatchObject({ sessionId: 'conv-1', userId: 'u-1' });
      expect(spans[3].output).toBe('"The weather in Tokyo is sunny."');
    });

    it('keeps the valid spans of an export mixing valid and invalid ones, and names the rejected in partialSuccess', async () => {
      const traceId = randomBytes(16).toString('hex');
      const good = randomBytes(8).toString('hex');
      const noStart = { ...span(randomBytes(8).toString('hex'), '', 'no start', {}), startTimeUnixNano: '0' };
      const badId = span('xyz', '', 'bad id', {});
      const gzipped = gzipSync(
        JSON.stringify(otlpJson(traceId, [badId, span(good, '', 'fine', {}), noStart])),
      );
      const res = await post(gzipped, { 'content-encoding': 'gzip' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
      expect(body.partialSuccess.rejectedSpans).toBe('2');
      expect(body.partialSuccess.errorMessage).toMatch(/spanId must be 8 bytes/);
      expect(body.partialSuccess.errorMessage).toMatch(/startTimeUnixNano 0 is missing/);
      const { spans } = await traceOf(traceId, 1);
      expect(spans.map((s) => s.id)).toEqual([good]);
    });

    it('answers what it cannot read with a clear status and a google.rpc.Status body', async () => {
      const malformed = await post(Buffer.from('this is not protobuf'), {
        'content-type': 'application/x-protobuf',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toMatch(/application\/x-protobuf/);
      expect(Buffer.from(await malformed.arrayBuffer()).toString('utf8')).toMatch(
        /not a protobuf ExportTraceServiceRequest/,
      );
      const notJson = await post('{"resourceSpans": [', {});
      expect(notJson.status).toBe(400);
      expect(await notJson.json()).toMatchObject({
        code: 3,
        message: expect.stringMatching(/not valid JSON/),
      });

      const wrongType = await post('hello', { 'content-type': 'text/plain' });
      expect(wrongType.status).toBe(415);
      expect((await wrongType.json()) as unknown).toMatchObject({
        message: expect.stringMatching(/text\/plain/),
      });

      const badKey = await post('{}', { authorization: 'Bearer sl_pk_000000000000_nope' });
      expect(badKey.status).toBe(401);
      expect(await badKey.json()).toMatchObject({ code: 16 });

      const oversized = await post(Buffer.alloc(MAX_INGEST_BODY_BYTES + 1, 0x20), {});
      expect(oversized.status).toBe(413);
      const bomb = await post(gzipSync(Buffer.alloc(MAX_INGEST_BODY_BYTES + 1, 0x20)), {
        'content-encoding': 'gzip',
      });
      expect(bomb.status).toBe(413);
    });

    it('takes HTTP Basic (public key : secret key) at /api/public/otel/v1/traces', async () => {
      const traceId = randomBytes(16).toString('hex');
      const { keyId, secret } = parseApiKey(gw.apiKey)!;
      const body = JSON.stringify(
        otlpJson(traceId, [span(randomBytes(8).toString('hex'), '', 'via basic', {})]),
      );
      const basic = (user: string, password: string) => ({
        authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
      });
      expect((await post(body, basic(keyId, 'wrong'), PUBLIC)).status).toBe(401);
      expect((await post(body, basic(keyId, secret), PUBLIC)).status).toBe(200);
      expect((await traceOf(traceId, 1)).spans[0].name).toBe('via basic');
    });
  });
