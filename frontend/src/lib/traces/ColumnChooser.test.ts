// @vitest-environment happy-dom
// The column chooser and the column rules behind it: toggling, the last column staying, reset,
// the URL form and the sort a header click gives.
import { cleanup, fireEvent, render } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import ColumnChooser from './ColumnChooser.svelte';
import {
  columnsParam,
  DEFAULT_COLUMNS,
  nextSort,
  normalizeColumns,
  parseColumnsParam,
  toggleColumn,
} from './columns';

afterEach(cleanup);

describe('ColumnChooser', () => {
  it('lists every column, checked when shown, and hides one on uncheck', async () => {
    const onchange = vi.fn();
    const { getByTestId } = render(ColumnChooser, { columns: ['time', 'name', 'cost'], onchange });
    const cost = getByTestId('column-cost') as HTMLInputElement;
    expect(cost.checked).toBe(true);
    expect((getByTestId('column-errors') as HTMLInputElement).checked).toBe(false);
    await fireEvent.click(cost);
    expect(onchange).toHaveBeenLastCalledWith(['time', 'name']);
  });

  it('shows a hidden column in the list’s own order', async () => {
    const onchange = vi.fn();
    const { getByTestId } = render(ColumnChooser, { columns: ['time', 'cost'], onchange });
    await fireEvent.click(getByTestId('column-latency'));
    expect(onchange).toHaveBeenLastCalledWith(['time', 'latency', 'cost']);
  });

  it('keeps the last column (its box is disabled) and resets to the defaults', async () => {
    const onchange = vi.fn();
    const { getByTestId } = render(ColumnChooser, { columns: ['io'], onchange });
    expect((getByTestId('column-io') as HTMLInputElement).disabled).toBe(true);
    await fireEvent.click(getByTestId('columns-reset'));
    expect(onchange).toHaveBeenLastCalledWith([...DEFAULT_COLUMNS]);
  });

  it('disables reset while the defaults are shown', () => {
    const { getByTestId } = render(ColumnChooser, { columns: [...DEFAULT_COLUMNS], onchange: vi.fn() });
    expect((getByTestId('columns-reset') as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('column rules', () => {
  it('normalizes: known ids in order, no repeats, the defaults when nothing is left', () => {
    expect(normalizeColumns(['cost', 'bogus', 'time', 'cost'])).toEqual(['time', 'cost']);
    expect(normalizeColumns([])).toEqual([...DEFAULT_COLUMNS]);
    expect(normalizeColumns(null)).toEqual([...DEFAULT_COLUMNS]);
  });

  it('never hides the last column', () => {
    expect(toggleColumn(['time'], 'time')).toEqual(['time']);
    expect(toggleColumn(['time', 'io'], 'time')).toEqual(['io']);
  });

  it('writes the defaults as no parameter and reads back what it wrote', () => {
    expect(columnsParam([...DEFAULT_COLUMNS])).toBeNull();
    expect(columnsParam(['time', 'errors'])).toBe('time,errors');
    expect(parseColumnsParam('time,errors')).toEqual(['time', 'errors']);
    expect(parseColumnsParam(null)).toBeNull();
  });

  it('sorts a new column descending first, then flips', () => {
    const newest = { field: 'STARTED_AT', direction: 'DESC' } as const;
    expect(nextSort(newest, 'LATENCY_MS')).toEqual({ field: 'LATENCY_MS', direction: 'DESC' });
    expect(nextSort(newest, 'STARTED_AT')).toEqual({ field: 'STARTED_AT', direction: 'ASC' });
  });
});
