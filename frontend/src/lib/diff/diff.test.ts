import { describe, expect, it } from 'vitest';
import { deltas, fieldDiff, jsonOf, promptOf, textDiff, toolCallDiff } from './diff';

describe('diff', () => {
  it('diffs texts word by word', () => {
    expect(textDiff('The parcel left Lyon today', 'The parcel left Paris today')).toEqual([
      { text: 'The parcel left ', kind: 'same' },
      { text: 'Lyon', kind: 'removed' },
      { text: 'Paris', kind: 'added' },
      { text: ' today', kind: 'same' },
    ]);
    expect(textDiff(null, 'new')).toEqual([{ text: 'new', kind: 'added' }]);
  });

  it('diffs JSON values field by field, through nested objects and arrays', () => {
    const rows = fieldDiff(
      { city: 'Lyon', temp: 18, tags: ['sun'], extra: true },
      { city: 'Lyon', temp: 21, tags: ['sun', 'wind'], unit: 'C' },
    );
    expect(rows).toEqual([
      { path: 'city', kind: 'same', before: '"Lyon"', after: '"Lyon"' },
      { path: 'temp', kind: 'changed', before: '18', after: '21' },
      { path: 'tags.0', kind: 'same', before: '"sun"', after: '"sun"' },
      { path: 'tags.1', kind: 'added', after: '"wind"' },
      { path: 'extra', kind: 'removed', before: 'true' },
      { path: 'unit', kind: 'added', after: '"C"' },
    ]);
  });

  it('reads JSON objects out of outputs, and leaves prose alone', () => {
    expect(jsonOf(' {"a": 1} ')).toEqual({ a: 1 });
    expect(jsonOf('{not json')).toBeUndefined();
    expect(jsonOf('Hello')).toBeUndefined();
    expect(jsonOf(null)).toBeUndefined();
  });

  it('pairs tool calls by name and compares their arguments as JSON', () => {
    const changes = toolCallDiff(
      [
        { name: 'weather', arguments: '{"city":"Lyon","unit":"C"}' },
        { name: 'search', arguments: '{"q":"trains"}' },
      ],
      [
        { name: 'weather', arguments: '{"unit":"C","city":"Paris"}' },
        { name: 'book', arguments: '{}' },
      ],
    );
    expect(changes.map((c) => [c.name, c.kind])).toEqual([
      ['weather', 'changed'],
      ['search', 'removed'],
      ['book', 'added'],
    ]);
    expect(changes[0].fields).toEqual([
      { path: 'city', kind: 'changed', before: '"Lyon"', after: '"Paris"' },
    ]);
    expect(
      toolCallDiff(
        [{ name: 'a', arguments: '{"x":1,"y":2}' }],
        [{ name: 'a', arguments: '{"y":2,"x":1}' }],
      )[0].kind,
    ).toBe('same');
  });

  it('computes the deltas of cost, latency, time to first token and tokens; unknown stays unknown', () => {
    const rows = deltas(
      {
        ...priced,
        cost: '0.002000000',
        latencyMs: 800,
        timeToFirstTokenMs: null,
        inputTokens: 100,
        outputTokens: 40,
      },
      {
        ...priced,
        cost: '0.001500000',
        latencyMs: 1000,
        timeToFirstTokenMs: 120,
        inputTokens: 100,
        outputTokens: 50,
      },
    );
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(byLabel['Cost'].delta).toBeCloseTo(-0.0005);
    expect(byLabel['Cost'].ratio).toBeCloseTo(-0.25);
    expect(byLabel['Latency']).toMatchObject({ delta: 200, ratio: 0.25 });
    expect(byLabel['Time to first token']).toMatchObject({ before: null, after: 120, delta: null });
    expect(byLabel['Output tokens']).toMatchObject({ delta: 10 });
  });

  it('marks a cost with no price in force as unpriced (not a $0 change) and estimated tokens with ≈', () => {
    const base = { latencyMs: 800, timeToFirstTokenMs: 100, inputTokens: 100, outputTokens: 40 };
    const rows = deltas(
      { ...base, cost: '0.000000000', costFlags: ['UNPRICED'], usageSource: 'REPORTED' },
      { ...base, cost: '0.001000000', costFlags: ['ESTIMATED_USAGE'], usageSource: 'ESTIMATED' },
    );
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(byLabel['Cost']).toMatchObject({
      before: null,
      delta: null,
      marks: [
        { unpriced: true, estimated: false },
        { unpriced: false, estimated: true },
      ],
    });
    expect(byLabel['Input tokens'].marks).toEqual([
      { unpriced: false, estimated: false },
      { unpriced: false, estimated: true },
    ]);
    expect(byLabel['Latency'].marks[1].estimated).toBe(false);
  });
});

describe('the prompt a generation recorded', () => {
  it('reads prompt.name and prompt.version from its metadata', () => {
    expect(
      promptOf([
        { key: 'prompt.version', value: '2' },
        { key: 'prompt.name', value: 'support/triage' },
      ]),
    ).toBe('support/triage v2');
    expect(promptOf([{ key: 'team', value: 'billing' }])).toBeNull();
  });
});

const priced = { costFlags: [] as string[], usageSource: 'REPORTED' };
