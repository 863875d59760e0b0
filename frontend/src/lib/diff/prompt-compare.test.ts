// @vitest-environment happy-dom
// The prompt version compare: two versions fetched over GraphQL (fetch answered here, as the API
// would), their messages diffed word by word and their settings field by field.
import { cleanup, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PromptCompare from './PromptCompare.svelte';

const VERSIONS: Record<number, Record<string, unknown>> = {
  1: {
    messages: JSON.stringify([{ role: 'system', content: 'Answer tickets politely.' }]),
    model: 'mock-1',
    params: '{"temperature":0.2}',
  },
  2: {
    messages: JSON.stringify([
      { role: 'system', content: 'Answer tickets briefly.' },
      { role: 'user', content: 'Ticket: {{ticket}}' },
    ]),
    model: 'mock-large',
    params: '{"temperature":0.2,"max_tokens":200}',
  },
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('PromptCompare', () => {
  it('shows what changed from one version of a prompt to another', async () => {
    const asked: number[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const { variables } = JSON.parse(String(init.body)) as { variables: { version: number } };
        asked.push(variables.version);
        const prompt = {
          name: 'support',
          version: variables.version,
          labels: [],
          tools: null,
          responseFormat: null,
        };
        return new Response(
          JSON.stringify({ data: { prompt: { ...prompt, ...VERSIONS[variables.version] } } }),
          {
            headers: { 'content-type': 'application/json' },
          },
        );
      }),
    );

    const { getAllByTestId, getByTestId } = render(PromptCompare, {
      projectId: 'p',
      name: 'support',
      latestVersion: 2,
    });

    await waitFor(() => expect(getAllByTestId('compare-message')).toHaveLength(2));
    expect(asked.sort()).toEqual([1, 2]);
    const [first, second] = getAllByTestId('compare-message');
    expect(first.querySelector('del')?.textContent).toBe('politely');
    expect(first.querySelector('ins')?.textContent).toBe('briefly');
    expect(second.querySelector('ins')?.textContent).toBe('Ticket: {{ticket}}');
    const rows = [...getByTestId('field-diff').querySelectorAll('tbody tr')].map((r) => [
      r.querySelector('td')?.textContent,
      r.getAttribute('data-kind'),
    ]);
    expect(rows).toEqual([
      ['model', 'changed'],
      ['params.max_tokens', 'added'],
    ]);
  });
});
