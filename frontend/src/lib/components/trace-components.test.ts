// @vitest-environment happy-dom
// Component tests of the trace page's pieces, rendered in a DOM: the span tree (tree order,
// collapse, selection), the JSON viewer (folding, long values) and the chat rendering of messages
// (inputs, and answers with their tool calls and refusals).
import { cleanup, fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ChatMessages from './ChatMessages.svelte';
import JsonViewer from './JsonViewer.svelte';
import SpanTree from './SpanTree.svelte';
import type { SpanDetailFragment } from '$lib/graphql/generated';
import { toMessages } from '$lib/traces/messages';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 30, 10, 0, 0, ms)).toISOString();

function span(
  id: string,
  depth: number,
  start: number,
  end: number,
  extra: Partial<SpanDetailFragment> = {},
) {
  return {
    id,
    traceId: 't',
    parentSpanId: null,
    depth,
    orphan: false,
    kind: 'SPAN',
    name: id,
    source: 'ingest',
    status: 'OK',
    statusMessage: null,
    level: 'default',
    startedAt: at(start),
    endedAt: at(end),
    latencyMs: end - start,
    model: null,
    provider: null,
    inputTokens: 0,
    outputTokens: 0,
    totalTokens: 0,
    cachedTokens: 0,
    reasoningTokens: 0,
    cost: null,
    costBreakdown: null,
    priceVersion: null,
    costFlags: [],
    input: null,
    output: null,
    userId: null,
    sessionId: null,
    tags: [],
    metadata: [],
    release: null,
    version: null,
    environment: null,
    ...extra,
  } as SpanDetailFragment;
}

afterEach(() => cleanup());

describe('SpanTree', () => {
  const spans = [
    span('root', 0, 0, 1000, { kind: 'AGENT' }),
    span('llm', 1, 100, 600, { kind: 'GENERATION' }),
    span('tool', 2, 200, 300, { kind: 'TOOL', status: 'ERROR' }),
    span('after', 1, 600, 900),
  ];

  it('shows the spans in tree order with their depth, and collapses a subtree', async () => {
    const { container, getByLabelText } = render(SpanTree, { spans, selected: 'root', onselect: () => {} });
    const ids = () =>
      [...container.querySelectorAll('[data-testid="span-row"]')].map((r) => r.getAttribute('data-span-id'));
    expect(ids()).toEqual(['root', 'llm', 'tool', 'after']);
    expect(container.querySelector('[data-span-id="tool"]')?.getAttribute('data-depth')).toBe('2');
    await fireEvent.click(getByLabelText('Collapse llm'));
    expect(ids()).toEqual(['root', 'llm', 'after']);
    await fireEvent.click(getByLabelText('Expand llm'));
    expect(ids()).toEqual(['root', 'llm', 'tool', 'after']);
  });

  it('marks the selected span and reports a click on another', async () => {
    const onselect = vi.fn();
    const { container } = render(SpanTree, { spans, selected: 'llm', onselect });
    expect(container.querySelector('[data-span-id="llm"] [aria-current="true"]')).not.toBeNull();
    await fireEvent.click(container.querySelector<HTMLElement>('[data-span-id="after"] button.select')!);
    expect(onselect).toHaveBeenCalledWith('after');
  });
});

describe('JsonViewer', () => {
  it('folds objects past the open depth and shows every value type', () => {
    const { container } = render(JsonViewer, {
      value: { a: { b: { c: 1 } }, s: 'text', n: null, t: true },
      open: 1,
    });
    const nodes = container.querySelectorAll('details');
    expect(nodes[0].open).toBe(true);
    expect(nodes[1].open).toBe(false);
    expect(container.textContent).toContain('"text"');
    expect(container.textContent).toContain('null');
    expect(container.textContent).toContain('true');
  });

  it('cuts a long string and a long list until asked for all', async () => {
    const long = 'x'.repeat(1000);
    const { container, getByText } = render(JsonViewer, {
      value: { long, list: Array.from({ length: 150 }, (_, i) => i) },
    });
    expect(container.textContent).not.toContain(long);
    await fireEvent.click(getByText('show all 1,000 characters'));
    expect(container.textContent).toContain(long);
    expect(getByText('Show 50 more')).toBeTruthy();
  });

  it('shows text that is not JSON as it is', () => {
    const { container } = render(JsonViewer, { value: 'plain words' });
    expect(container.textContent).toContain('plain words');
  });
});

describe('ChatMessages', () => {
  it('renders roles, text, inline images, tool calls and tool results', () => {
    const messages = toMessages({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', tool_calls: [{ id: 'c1', function: { name: 'look', arguments: '{"q":1}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'a cat' },
      ],
    })!;
    const { container, getAllByTestId, getByTestId } = render(ChatMessages, { messages });
    expect(getAllByTestId('chat-message').map((m) => m.getAttribute('data-role'))).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
    ]);
    expect(getByTestId('chat-image').tagName).toBe('IMG');
    expect(getByTestId('tool-call').textContent).toContain('look');
    expect(getByTestId('tool-call').querySelector('pre')?.textContent).toBe('{\n  "q": 1\n}');
    expect(getByTestId('tool-result').textContent).toContain('a cat');
    expect(container.textContent).toContain('Be brief.');
  });

  it('links a remote image instead of loading it', () => {
    const { getByTestId } = render(ChatMessages, {
      messages: [{ role: 'user', parts: [{ type: 'image', url: 'https://example.test/a.png' }] }],
    });
    expect(getByTestId('chat-image').tagName).toBe('A');
  });

  it("renders a gateway generation's answer as assistant messages: text, tool call and refusal", () => {
    const messages = toMessages({
      choices: [
        {
          index: 0,
          content: 'Let me check.',
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Lyon"}' }],
          finishReason: 'tool_calls',
        },
        { index: 1, content: null, refusal: 'I cannot help with that.', toolCalls: [], finishReason: 'stop' },
      ],
    })!;
    const { getAllByTestId, getByTestId, container } = render(ChatMessages, { messages });
    expect(getAllByTestId('chat-message').map((m) => m.getAttribute('data-role'))).toEqual([
      'assistant',
      'assistant',
    ]);
    expect(getAllByTestId('chat-message')[0].textContent).toContain('Let me check.');
    expect(getByTestId('tool-call').textContent).toContain('weather');
    expect(getByTestId('tool-call').querySelector('pre')?.textContent).toBe('{\n  "city": "Lyon"\n}');
    expect(getByTestId('chat-refusal').textContent).toMatch(/Refused\s+I cannot help with that\./);
    expect(container.textContent).not.toContain('choices');
  });
});
