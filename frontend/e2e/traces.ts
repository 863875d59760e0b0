// Traces for the browser tests, sent through POST /api/ingest with the project's API key: a small
// agent run that shows every kind of message, and wide traces of many spans.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';

/** A 1×1 PNG, sent as an inline image in a user message. */
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNk+A8AAQUBAScY42YAAAAASUVORK5CYII=';

type Item = { type: 'span' | 'generation' | 'score'; body: Record<string, unknown> };

export async function ingest(baseUrl: string, apiKey: string | null, items: readonly Item[]): Promise<void> {
  for (let i = 0; i < items.length; i += 1000) {
    const response = await fetch(`${baseUrl}/api/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({
        batch: items.slice(i, i + 1000).map((item) => ({ id: randomUUID(), ...item })),
      }),
    });
    const answer = (await response.json()) as { errors: unknown[] };
    expect(answer.errors, JSON.stringify(answer)).toEqual([]);
  }
}

const at = (start: number, ms: number) => new Date(start + ms).toISOString();

/**
 * A trip planner: an agent whose generation calls a tool (OpenAI chat shape, with a system prompt, an
 * image and a tool call), the tool span, and a second generation in OpenTelemetry GenAI shape with the
 * tool's result. Returns its ids.
 */
export async function ingestAgentTrace(
  baseUrl: string,
  apiKey: string | null,
  options: { traceId: string; userId: string; sessionId: string; start?: number },
) {
  const { traceId, userId, sessionId } = options;
  const start = options.start ?? Date.now() - 60_000;
  const ids = {
    root: `${traceId}-agent`,
    llm1: `${traceId}-llm-1`,
    tool: `${traceId}-tool`,
    llm2: `${traceId}-llm-2`,
  };
  await ingest(baseUrl, apiKey, [
    {
      type: 'span',
      body: {
        traceId,
        spanId: ids.root,
        kind: 'agent',
        name: 'trip planner',
        startedAt: at(start, 0),
        endedAt: at(start, 4_000),
        input: { goal: 'a weekend in Lyon' },
        output: 'Take the 9:04 TGV on Saturday; it is sunny.',
        userId,
        sessionId,
        tags: ['beta', 'travel'],
        environment: 'production',
        release: '2026.11.3',
        metadata: { team: 'growth' },
      },
    },
    {
      type: 'generation',
      body: {
        traceId,
        spanId: ids.llm1,
        parentSpanId: ids.root,
        name: 'plan',
        model: 'gpt-4o',
        startedAt: at(start, 100),
        endedAt: at(start, 1_400),
        input: {
          messages: [
            { role: 'system', content: 'You plan trips. Use tools for live data.' },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'Trains to Lyon this weekend? Here is my rail card.' },
                { type: 'image_url', image_url: { url: PIXEL } },
              ],
            },
          ],
          temperature: 0.2,
          max_tokens: 400,
        },
        output: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_weather_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Lyon","day":"saturday"}' },
            },
          ],
        },
        usage: { inputTokens: 120, outputTokens: 18 },
      },
    },
    {
      type: 'span',
      body: {
        traceId,
        spanId: ids.tool,
        parentSpanId: ids.root,
        kind: 'tool',
        name: 'get_weather',
        startedAt: at(start, 1_500),
        endedAt: at(start, 1_900),
        input: { city: 'Lyon', day: 'saturday' },
        output: { forecast: 'sunny', high: 21 },
      },
    },
    {
      type: 'generation',
      body: {
        traceId,
        spanId: ids.llm2,
        parentSpanId: ids.root,
        name: 'answer',
        model: 'gpt-4o',
        startedAt: at(start, 2_000),
        endedAt: at(start, 3_900),
        input: [
          { role: 'user', parts: [{ type: 'text', content: 'Trains to Lyon this weekend?' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'tool_call', id: 'call_weather_1', name: 'get_weather', arguments: { city: 'Lyon' } },
            ],
          },
          {
            role: 'tool',
            parts: [
              { type: 'tool_call_response', id: 'call_weather_1', response: { forecast: 'sunny', high: 21 } },
            ],
          },
        ],
        output: [
          {
            role: 'assistant',
            parts: [{ type: 'text', content: 'Take the 9:04 TGV on Saturday; it is sunny.' }],
          },
        ],
        usage: { inputTokens: 160, outputTokens: 14 },
      },
    },
  ]);
  return ids;
}

/** A trace of `count` spans: a root and its children, every fifth one with children of its own. */
export async function ingestWideTrace(
  baseUrl: string,
  apiKey: string | null,
  traceId: string,
  count: number,
) {
  const start = Date.now() - 120_000;
  const items: Item[] = [
    {
      type: 'span',
      body: {
        traceId,
        spanId: `${traceId}-0`,
        kind: 'chain',
        name: 'batch',
        startedAt: at(start, 0),
        endedAt: at(start, count * 10 + 50),
      },
    },
  ];
  for (let i = 1; i < count; i++) {
    const parent = i % 5 === 1 || i < 5 ? `${traceId}-0` : `${traceId}-${i - (i % 5) + 1}`;
    items.push({
      type: i % 3 === 0 ? 'generation' : 'span',
      body: {
        traceId,
        spanId: `${traceId}-${i}`,
        parentSpanId: parent,
        ...(i % 3 === 0 ? { model: 'gpt-4o-mini' } : { kind: 'tool' }),
        name: `step ${i}`,
        startedAt: at(start, i * 10),
        endedAt: at(start, i * 10 + 30),
        input: { step: i },
        output: `done ${i}`,
      },
    });
  }
  await ingest(baseUrl, apiKey, items);
}
