import type { CallContext } from './demo-plan';
import type { ChatAnswer, DemoDoors } from './demo-run';

/**
 * The app's own doors over loopback HTTP with a project API key: demo traffic takes the same path
 * as any client's (authentication, rate limits, redaction, budgets, routing, recording).
 */
export class DemoHttp implements DemoDoors {
  constructor(
    /** `http://127.0.0.1:<port>`. */
    private readonly base: string,
    private readonly apiKey: string,
  ) {}

  private headers(extra: Record<string, string> = {}) {
    return { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}`, ...extra };
  }

  async chat(
    body: Readonly<Record<string, unknown>>,
    context: CallContext,
    signal: AbortSignal,
  ): Promise<ChatAnswer> {
    const res = await fetch(`${this.base}/v1/chat/completions`, {
      method: 'POST',
      headers: this.headers(traceHeaders(context)),
      body: JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    if (res.status !== 200) return { status: res.status };
    return {
      status: 200,
      message: body.stream ? streamedMessage(text) : JSON.parse(text).choices?.[0]?.message,
    };
  }

  async ingest(items: readonly unknown[], signal: AbortSignal): Promise<void> {
    const res = await fetch(`${this.base}/api/ingest`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ batch: items }),
      signal,
    });
    const answer = (await res.json()) as { errors?: { message: string }[] };
    if (res.status !== 207 || answer.errors?.length)
      throw new Error(`demo ingest refused: ${res.status} ${answer.errors?.[0]?.message ?? ''}`);
  }
}

function traceHeaders(context: CallContext): Record<string, string> {
  const headers: Record<string, string> = {
    'x-sightline-user-id': context.userId,
    'x-sightline-tags': context.tags.join(','),
    'x-sightline-metadata': JSON.stringify(context.metadata),
  };
  if (context.sessionId) headers['x-sightline-session-id'] = context.sessionId;
  if (context.traceId) headers['x-sightline-trace-id'] = context.traceId;
  if (context.parentSpanId) headers['x-sightline-parent-span-id'] = context.parentSpanId;
  return headers;
}

/** The assistant message a Chat Completions stream spelled out; undefined when it ended in an error. */
function streamedMessage(text: string): ChatAnswer['message'] {
  let content = '';
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice(6)) as {
      error?: unknown;
      choices?: { delta?: { content?: string } }[];
    };
    if (chunk.error) return undefined;
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return text.includes('data: [DONE]') ? { content } : undefined;
}
