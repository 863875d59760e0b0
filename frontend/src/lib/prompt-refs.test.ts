import { describe, expect, it } from 'vitest';
import { promptRefs } from './prompt-refs';

describe('prompt refs', () => {
  it('lists each prompt by label (production first), then by version newest first', () => {
    expect(
      promptRefs([
        {
          name: 'support/triage',
          latestVersion: 3,
          labels: [
            { label: 'staging', version: 3 },
            { label: 'production', version: 2 },
          ],
        },
        { name: 'summary', latestVersion: 1, labels: [] },
      ]),
    ).toEqual([
      'support/triage@production',
      'support/triage@staging',
      'support/triage@3',
      'support/triage@2',
      'support/triage@1',
      'summary@1',
    ]);
  });
});
