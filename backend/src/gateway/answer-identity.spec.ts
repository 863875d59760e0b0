import { withIdentity } from './answer-identity';
import type { GenerationSpan } from './generation-events';

const span: GenerationSpan = {
  projectId: 'p',
  traceId: 't',
  spanId: 'span123',
  source: 'gateway',
  startedAt: new Date('2026-11-30T14:00:00.500Z'),
};

describe('withIdentity', () => {
  it("fills what the provider's format lacks from the call: id, wire model, start time", () => {
    expect(withIdentity({ id: '', model: '', created: 0, extra: 1 }, span, 'anthropic.claude-x')).toEqual({
      id: 'chatcmpl-span123',
      model: 'anthropic.claude-x',
      created: Date.parse('2026-11-30T14:00:00Z') / 1000,
      extra: 1,
    });
  });

  it('keeps what the provider sent', () => {
    const answer = { id: 'gen-1', model: '', created: 0 };
    expect(withIdentity(answer, span, 'command-a')).toEqual({
      id: 'gen-1',
      model: 'command-a',
      created: 1796047200,
    });
    const whole = { id: 'a', model: 'm', created: 5 };
    expect(withIdentity(whole, span, 'other')).toBe(whole);
  });
});
