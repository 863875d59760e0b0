import type { GenerationRequested } from '@sightline/schemas';
import { expectedNanoUsd, requestUnder } from './experiment-estimate';

const recorded: GenerationRequested['data'] = {
  provider: 'openai',
  model: 'gpt-4o',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Capital of France?' },
  ],
  params: { temperature: 0.7, max_tokens: 100 },
  stream: false,
  tags: [],
  metadata: {},
};

describe('a replay estimate', () => {
  it('given the recorded request, when a configuration overrides model, params and system, then the estimate prices that request', () => {
    const request = requestUnder(recorded, {
      configurationId: 'c1',
      model: 'gpt-4o-mini',
      params: { temperature: 0 },
      system: 'Answer in one word.',
    });
    expect(request).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, max_tokens: 100 });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Answer in one word.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
    expect(requestUnder(recorded, { configurationId: 'c2' })).toMatchObject({
      model: 'gpt-4o',
      temperature: 0.7,
    });
    // A prompt version that sets the model: priced at the model the replay goes to.
    expect(
      requestUnder(recorded, { configurationId: 'c3', prompt: 'support@production' }, 'o3-mini').model,
    ).toBe('o3-mini');
  });

  it('expects the input plus as many output tokens as the original answered (rounded up, at most the cap)', () => {
    const estimate = { minNanoUsd: 1000n, maxNanoUsd: 11_000n, maxOutputTokens: 100 };
    expect(expectedNanoUsd(estimate, 0)).toBe(1000n);
    expect(expectedNanoUsd(estimate, 25)).toBe(3500n);
    expect(expectedNanoUsd(estimate, 100)).toBe(11_000n);
    expect(expectedNanoUsd(estimate, 5000)).toBe(11_000n);
    expect(expectedNanoUsd({ minNanoUsd: 0n, maxNanoUsd: 10n, maxOutputTokens: 3 }, 1)).toBe(4n);
  });
});
