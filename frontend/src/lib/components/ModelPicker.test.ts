// @vitest-environment happy-dom
// The playground's model picker: a model outside the project's list shows (not a blank select), and
// any name can be typed.
import { cleanup, fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ModelPicker from './ModelPicker.svelte';

afterEach(cleanup);

const models = [{ id: 'mock-1' }, { id: 'gpt-4o-mini' }];

describe('ModelPicker', () => {
  it('shows a recorded model that is not in the list, selected', () => {
    const { getByTestId } = render(ModelPicker, {
      index: 0,
      model: 'openai/fake-gpt',
      models,
      onpick: vi.fn(),
    });
    const select = getByTestId('column-model') as HTMLSelectElement;
    expect(select.value).toBe('openai/fake-gpt');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'openai/fake-gpt',
      'mock-1',
      'gpt-4o-mini',
      'Other model…',
    ]);
  });

  it('picks a listed model, or any name typed after "Other model…"', async () => {
    const onpick = vi.fn();
    const { getByTestId, queryByTestId } = render(ModelPicker, { index: 0, model: 'mock-1', models, onpick });
    const select = getByTestId('column-model') as HTMLSelectElement;
    expect(queryByTestId('column-model-other')).toBeNull();
    await fireEvent.change(select, { target: { value: 'gpt-4o-mini' } });
    expect(onpick).toHaveBeenLastCalledWith('gpt-4o-mini');
    const other = [...select.options].find((o) => o.textContent === 'Other model…')!;
    await fireEvent.change(select, { target: { value: other.value } });
    const input = getByTestId('column-model-other') as HTMLInputElement;
    await fireEvent.input(input, { target: { value: ' ollama/llama3.2 ' } });
    expect(onpick).toHaveBeenLastCalledWith('ollama/llama3.2');
  });
});
