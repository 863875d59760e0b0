// @vitest-environment happy-dom
// Component tests of the replay diff: words, JSON fields, tool calls, deltas and the masked notice.
import { cleanup, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplayGenerationFragment } from '$lib/graphql/generated';
import DeltaTable from './DeltaTable.svelte';
import GenerationDiff from './GenerationDiff.svelte';
import MaskedNotice from './MaskedNotice.svelte';
import TextDiff from './TextDiff.svelte';
import ToolCallDiff from './ToolCallDiff.svelte';

afterEach(cleanup);

function generation(extra: Partial<ReplayGenerationFragment>): ReplayGenerationFragment {
  return {
    id: 'g1',
    traceId: 't1',
    model: 'mock-1',
    servedModel: 'mock-1',
    provider: 'mock',
    status: 'COMPLETED',
    startedAt: '2026-11-30T10:00:00Z',
    latencyMs: 800,
    timeToFirstTokenMs: 100,
    inputTokens: 20,
    outputTokens: 10,
    usageSource: 'REPORTED',
    cost: null,
    costFlags: [],
    output: 'Your parcel is in Lyon',
    errorMessage: null,
    replayOf: null,
    metadata: [],
    toolCalls: [],
    maskedInputs: [],
    ...extra,
  };
}

describe('diff components', () => {
  it('TextDiff marks the words a replay added and removed', () => {
    const { container } = render(TextDiff, {
      before: 'Your parcel is in Lyon',
      after: 'Your parcel is in Paris',
    });
    expect(container.querySelector('del')?.textContent).toBe('Lyon');
    expect(container.querySelector('ins')?.textContent).toBe('Paris');
    expect(container.textContent?.replace(/\s+/g, ' ').trim()).toBe('Your parcel is in LyonParis');
  });

  it('GenerationDiff diffs JSON outputs field by field, prose word by word', () => {
    const json = render(GenerationDiff, {
      original: generation({ output: '{"city":"Lyon","eta":2}' }),
      replay: generation({ id: 'r1', model: 'mock-large', output: '{"city":"Paris","eta":2}' }),
      traceHref: '/traces/t1',
    });
    const rows = [...json.container.querySelectorAll('[data-testid="field-diff"] tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-kind'))).toEqual(['changed']);
    expect(rows[0].textContent).toContain('city');
    expect(json.getByTestId('replay-model').textContent).toBe('mock-large');
    expect(json.queryByTestId('text-diff')).toBeNull();
    cleanup();

    const prose = render(GenerationDiff, {
      original: generation({}),
      replay: generation({ id: 'r2', output: 'Your parcel is in Paris' }),
      traceHref: '/traces/t1',
    });
    expect(prose.getByTestId('text-diff').querySelector('ins')?.textContent).toBe('Paris');
    expect(prose.queryByTestId('tool-call-diff')).toBeNull();
  });

  it('GenerationDiff names what a replay changed besides the model, and nothing for a model change only', () => {
    const changed = render(GenerationDiff, {
      original: generation({}),
      replay: generation({
        id: 'r3',
        model: 'mock-large',
        metadata: [
          {
            key: 'sightline.replay.changes',
            value: 'system prompt; parameters temperature=0.9; tool results supplied',
          },
        ],
      }),
      traceHref: '/traces/t1',
    });
    expect(
      [...changed.getByTestId('replay-changes').querySelectorAll('li')].map((li) => li.textContent),
    ).toEqual(['system prompt', 'parameters temperature=0.9', 'tool results supplied']);
    cleanup();
    const modelOnly = render(GenerationDiff, {
      original: generation({}),
      replay: generation({ id: 'r4', model: 'mock-large' }),
      traceHref: '/traces/t1',
    });
    expect(modelOnly.queryByTestId('replay-changes')).toBeNull();
  });

  it('ToolCallDiff shows calls only one side made and the arguments that changed', () => {
    const { container } = render(ToolCallDiff, {
      before: [{ name: 'weather', arguments: '{"city":"Lyon"}' }],
      after: [
        { name: 'weather', arguments: '{"city":"Paris"}' },
        { name: 'book', arguments: '{"seat":"12A"}' },
      ],
    });
    const items = [...container.querySelectorAll('[data-kind]')];
    expect(items.map((i) => i.getAttribute('data-kind'))).toEqual(['changed', 'added']);
    expect(items[0].textContent).toContain('city');
    expect(items[0].querySelector('ins')?.textContent).toBe('"Paris"');
    expect(items[1].textContent).toContain('only in the replay');
  });

  it('DeltaTable shows both values and the change, unpriced when a cost is unknown', () => {
    const { container } = render(DeltaTable, {
      original: generation({ cost: '0.002000000' }),
      replay: generation({ cost: '0.001000000', latencyMs: 1200 }),
    });
    const row = (metric: string) => container.querySelector(`[data-metric="${metric}"]`)!;
    expect(row('Cost').textContent).toContain('$0.002000');
    expect(row('Cost').querySelector('.change')?.textContent).toContain('−$0.001000 (−50 %)');
    expect(row('Cost').querySelector('.change')?.classList.contains('down')).toBe(true);
    expect(row('Latency').querySelector('.change')?.textContent).toContain('+400 ms (+50 %)');
    cleanup();
    const unpriced = render(DeltaTable, { original: generation({}), replay: generation({}) });
    expect(unpriced.container.querySelector('[data-metric="Cost"]')?.textContent).toContain('unpriced');
  });

  it('DeltaTable marks unpriced costs and ≈ on what rests on estimated tokens, as the other pages do', () => {
    const { container } = render(DeltaTable, {
      original: generation({ cost: '0.000000000', costFlags: ['UNPRICED'] }),
      replay: generation({ cost: '0.001000000', costFlags: ['ESTIMATED_USAGE'], usageSource: 'ESTIMATED' }),
    });
    const cells = (metric: string) => [...container.querySelectorAll(`[data-metric="${metric}"] td`)];
    const [before, after, change] = cells('Cost');
    expect(before.querySelector('.flag')?.textContent).toBe('unpriced');
    expect(after.textContent).toBe('≈$0.001000');
    expect(change.textContent).toBe('—');
    const [tokensBefore, tokensAfter] = cells('Input tokens');
    expect(tokensBefore.textContent).toBe('20');
    expect(tokensAfter.textContent).toBe('≈20');
  });

  it('MaskedNotice names the masked texts, and says nothing when none were', () => {
    const { getByTestId } = render(MaskedNotice, {
      masked: [{ path: 'messages.0.content', masks: ['[EMAIL]', '[REDACTED]'] }],
    });
    expect(getByTestId('masked-notice').textContent).toContain('messages.0.content: [EMAIL], [REDACTED]');
    cleanup();
    const none = render(MaskedNotice, { masked: [] });
    expect(none.queryByTestId('masked-notice')).toBeNull();
  });
});
