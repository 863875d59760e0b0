// An app instrumented with the OpenTelemetry SDK and the GenAI conventions, run as its own process
// (the OTLP exporters load `http` with a dynamic import, which Jest's VM cannot run). It records one
// nested agent run (agent → generation + tool) and exports it the standard way: configured only by
// OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_PROTOCOL
// (http/protobuf or http/json). Prints the trace id.
const { SpanKind, SpanStatusCode } = require('@opentelemetry/api');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { NodeTracerProvider, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace-node');

const { OTLPTraceExporter } =
  process.env.OTEL_EXPORTER_OTLP_PROTOCOL === 'http/json'
    ? require('@opentelemetry/exporter-trace-otlp-http')
    : require('@opentelemetry/exporter-trace-otlp-proto');

const exporter = new OTLPTraceExporter();
const failures = [];
const provider = new NodeTracerProvider({
  resource: resourceFromAttributes({
    'service.name': 'weather-app',
    'service.version': '1.4.2',
    'deployment.environment.name': 'staging',
  }),
  spanProcessors: [
    new SimpleSpanProcessor({
      export: (spans, done) =>
        exporter.export(spans, (result) => {
          if (result.error) failures.push(result.error.message);
          done(result);
        }),
      shutdown: () => exporter.shutdown(),
      forceFlush: () => exporter.forceFlush(),
    }),
  ],
});
// Registered: spans started inside an active span become its children (AsyncLocalStorage context).
provider.register();
const tracer = provider.getTracer('weather-agent', '0.1.0');

function agentRun() {
  return tracer.startActiveSpan('invoke_agent weather-agent', { kind: SpanKind.INTERNAL }, (agent) => {
    agent.setAttributes({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'weather-agent',
      'session.id': 'sess-42',
      'user.id': 'user-7',
    });
    tracer.startActiveSpan('chat gpt-4o-mini', { kind: SpanKind.CLIENT }, (chat) => {
      chat.setAttributes({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.request.temperature': 0.2,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are terse.' }]),
        'gen_ai.input.messages': JSON.stringify([
          { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        ]),
        'gen_ai.output.messages': JSON.stringify([
          {
            role: 'assistant',
            parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
            finish_reason: 'tool_calls',
          },
        ]),
      });
      chat.end();
    });
    tracer.startActiveSpan('execute_tool get_weather', (tool) => {
      tool.setAttributes({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.arguments': '{"city":"Paris"}',
        'gen_ai.tool.call.result': '{"temp":21}',
      });
      tool.setStatus({ code: SpanStatusCode.ERROR, message: 'weather service timed out' });
      tool.end();
    });
    agent.end();
    return agent.spanContext().traceId;
  });
}

const traceId = agentRun();
provider
  .forceFlush()
  .then(() => provider.shutdown())
  .then(() => {
    if (failures.length) throw new Error(`export failed: ${failures.join('; ')}`);
    process.stdout.write(traceId);
  })
  .catch((error) => {
    process.stderr.write(String(error));
    process.exit(1);
  });
