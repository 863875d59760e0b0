import { describe, expect, it } from 'vitest';
import { untilShown } from './until-shown';

describe('until a replay shows', () => {
  it('refetches until the read model has it', async () => {
    let fetched = 0;
    const shown = await untilShown(
      async () => void fetched++,
      () => fetched >= 3,
      { pause: async () => {} },
    );
    expect(shown).toBe(true);
    expect(fetched).toBe(3);
  });

  it('gives up after its attempts, saying so', async () => {
    let fetched = 0;
    const shown = await untilShown(
      async () => void fetched++,
      () => false,
      { attempts: 4, pause: async () => {} },
    );
    expect(shown).toBe(false);
    expect(fetched).toBe(4);
  });
});
