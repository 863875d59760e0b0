// @vitest-environment happy-dom
// The replay form when the model is gone: the refusal's closest models are offered, one click picks one.
import { cleanup, fireEvent, render, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GraphQLRequestError } from '$lib/errors';
import ReplayForm from './ReplayForm.svelte';

const requests: { operation: string; variables: Record<string, unknown> }[] = [];

vi.mock('$lib/graphql/client', () => ({
  graphqlRequest: vi.fn(async (operation: { toString(): string }, variables: Record<string, unknown>) => {
    const text = operation.toString();
    requests.push({ operation: text, variables });
    if (text.includes('query ReplayModels'))
      return { models: [{ id: 'mock-1', provider: 'mock', usable: true }] };
    if (text.includes('query PlaygroundPrompts')) return { prompts: [] };
    const model = (variables.overrides as { model?: string }).model;
    if (!model)
      throw new GraphQLRequestError(
        "'support-bot' was a model of this project (openai 'ft:gpt-4o-mini:acme::x'), removed on 2026-11-02: no provider serves it now.",
        200,
        ['BAD_USER_INPUT'],
        ['model_not_found'],
        ['gpt-4o-mini', 'gpt-4o'],
      );
    return { replayGeneration: { generationId: 'g2', status: 'COMPLETED', error: null } };
  }),
}));

afterEach(() => {
  cleanup();
  requests.length = 0;
});

describe('ReplayForm', () => {
  it('offers the closest models of a model_not_found refusal; picking one replays on it', async () => {
    const replayed = vi.fn();
    const { getByTestId, findByTestId, queryByTestId } = render(ReplayForm, {
      projectId: 'p1',
      generationId: 'g1',
      model: 'support-bot',
      replayed,
    });

    await fireEvent.click(getByTestId('replay-submit'));
    const offered = await findByTestId('replay-suggestions');
    expect(getByTestId('replay-error').textContent).toContain('removed on 2026-11-02');
    expect([...offered.querySelectorAll('button')].map((b) => b.textContent)).toEqual([
      'gpt-4o-mini',
      'gpt-4o',
    ]);

    await fireEvent.click(offered.querySelector('button')!);
    expect((getByTestId('replay-model-picker') as HTMLSelectElement).value).toBe('gpt-4o-mini');
    expect(queryByTestId('replay-suggestions')).toBeNull();
    await fireEvent.click(getByTestId('replay-submit'));

    await waitFor(() => expect(replayed).toHaveBeenCalledWith('g2'));
    const sent = requests
      .filter((r) => r.operation.includes('mutation RunReplay'))
      .map((r) => r.variables.overrides);
    expect(sent).toEqual([{ toolResults: 'NONE' }, { model: 'gpt-4o-mini', toolResults: 'NONE' }]);
  });
});
