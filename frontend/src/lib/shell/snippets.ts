// The first-run snippets: a request through this instance's gateway with curl and the OpenAI SDKs,
// and an OpenTelemetry exporter pointed at its OTLP endpoint. `origin` is where the app is served.

export interface Snippet {
  readonly id: string;
  readonly label: string;
  readonly code: string;
}

/** `key`: the API key to show in the curl snippet (a placeholder by default). */
export function firstRunSnippets(origin: string, key = 'sl_pk_…'): readonly Snippet[] {
  return [
    {
      id: 'curl',
      label: 'curl',
      code: `export SIGHTLINE_KEY=${key}   # Settings → API keys
curl ${origin}/v1/chat/completions \\
  -H "authorization: Bearer $SIGHTLINE_KEY" \\
  -H 'content-type: application/json' \\
  -H 'x-sightline-session-id: first-steps' \\
  -d '{"model":"mock-1","messages":[{"role":"user","content":"Hello, Sightline!"}]}'`,
    },
    {
      id: 'openai-ts',
      label: 'OpenAI SDK · TypeScript',
      code: `import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${origin}/v1',
  apiKey: process.env.SIGHTLINE_KEY, // Settings → API keys
});

const answer = await client.chat.completions.create({
  model: 'mock-1', // or any model of a provider set up in Settings → Providers
  messages: [{ role: 'user', content: 'Hello, Sightline!' }],
});
console.log(answer.choices[0].message.content);`,
    },
    {
      id: 'openai-python',
      label: 'OpenAI SDK · Python',
      code: `import os
from openai import OpenAI

client = OpenAI(
    base_url="${origin}/v1",
    api_key=os.environ["SIGHTLINE_KEY"],  # Settings → API keys
)

answer = client.chat.completions.create(
    model="mock-1",  # or any model of a provider set up in Settings → Providers
    messages=[{"role": "user", "content": "Hello, Sightline!"}],
)
print(answer.choices[0].message.content)`,
    },
    {
      id: 'otlp',
      label: 'OpenTelemetry (OTLP)',
      code: `# Any OpenTelemetry SDK or collector: OTLP over HTTP (protobuf or JSON),
# GenAI semantic conventions and OpenInference spans are read as generations.
export OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/v1/traces
export OTEL_EXPORTER_OTLP_TRACES_HEADERS="authorization=Bearer%20$SIGHTLINE_KEY"
export OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf`,
    },
  ];
}
