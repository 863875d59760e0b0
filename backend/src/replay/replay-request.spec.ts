import type { GenerationRequested } from '@sightline/schemas';
import type { PromptVersionView } from '../prompts/prompt-versions';
import { recordedBody, withParams, withPromptVersion, withSystem } from './replay-request';

const recorded: GenerationRequested['data'] = {
  provider: 'mock',
  model: 'mock-1',
  messages: [
    { role: 'system', content: 'You answer tickets for Acme.' },
    { role: 'user', content: 'My order 42 is late' },
  ],
  params: { temperature: 0.2, seed: 7 },
  stream: true,
  tags: [],
  metadata: {},
};

const version = (v: Partial<PromptVersionView>): PromptVersionView =>
  ({
    name: 'support',
    version: 1,
    labels: [],
    messages: '[]',
    model: null,
    params: '{}',
    tools: null,
    responseFormat: null,
    commitMessage: '',
    createdAt: '2026-11-30T00:00:00Z',
    createdBy: null,
    ...v,
  }) as PromptVersionView;

describe('replay request', () => {
  it('given a recorded request, rebuilds the body it was sent with', () => {
    expect(recordedBody(recorded)).toEqual({
      model: 'mock-1',
      messages: recorded.messages,
      temperature: 0.2,
      seed: 7,
      stream: true,
    });
  });

  it('merges parameters over the recorded ones; null removes a key', () => {
    const body = withParams(recordedBody(recorded), { temperature: 1, seed: null, top_p: 0.5 });
    expect(body).toMatchObject({ temperature: 1, top_p: 0.5 });
    expect(body).not.toHaveProperty('seed');
  });

  it('replaces the first system message, or puts one first when there is none', () => {
    const replaced = withSystem(recordedBody(recorded), 'Be terse.');
    expect(replaced.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'My order 42 is late' },
    ]);
    const added = withSystem({ messages: [{ role: 'user', content: 'hi' }] }, 'Be terse.');
    expect(added.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('given the version a request was made with, swaps its messages for the next version filled with the same values', () => {
    const previous = version({
      version: 1,
      messages: JSON.stringify([{ role: 'system', content: 'You answer tickets for {{company}}.' }]),
      params: JSON.stringify({ seed: 7 }),
    });
    const next = version({
      version: 2,
      messages: JSON.stringify([{ role: 'system', content: 'Answer {{company}} customers kindly.' }]),
      params: JSON.stringify({ max_tokens: 50 }),
      model: 'mock-large',
    });
    const body = withPromptVersion(recordedBody(recorded), next, previous);
    expect(body).toEqual({
      model: 'mock-large',
      messages: [
        { role: 'system', content: 'Answer Acme customers kindly.' },
        { role: 'user', content: 'My order 42 is late' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      stream: true,
    });
  });

  it('without a recorded version, the next version replaces the leading system messages; a variable with no value is refused', () => {
    const next = version({ messages: JSON.stringify([{ role: 'system', content: 'Be brief.' }]) });
    expect(withPromptVersion(recordedBody(recorded), next).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'My order 42 is late' },
    ]);
    const needs = version({ messages: JSON.stringify([{ role: 'system', content: 'For {{company}}.' }]) });
    expect(() => withPromptVersion(recordedBody(recorded), needs)).toThrow(
      expect.objectContaining({ reason: 'invalid_prompt_variables' }),
    );
  });

  it('replays on a next version that dropped a variable of the recorded one', () => {
    const previous = version({
      messages: JSON.stringify([{ role: 'system', content: 'You answer tickets for {{company}}.' }]),
    });
    const next = version({
      version: 2,
      messages: JSON.stringify([{ role: 'system', content: 'Be brief.' }]),
    });
    expect(withPromptVersion(recordedBody(recorded), next, previous).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'My order 42 is late' },
    ]);
  });

  it('fills the next version with the values given, over the recorded ones', () => {
    const previous = version({
      messages: JSON.stringify([{ role: 'system', content: 'You answer tickets for {{company}}.' }]),
    });
    const next = version({
      version: 2,
      messages: JSON.stringify([
        { role: 'system', content: 'Answer {{company}} customers in {{language}}.' },
      ]),
    });
    const body = withPromptVersion(recordedBody(recorded), next, previous, { language: 'French' });
    expect((body.messages as unknown[])[0]).toEqual({
      role: 'system',
      content: 'Answer Acme customers in French.',
    });
    const renamed = withPromptVersion(recordedBody(recorded), next, previous, {
      company: 'Globex',
      language: 'Dutch',
    });
    expect((renamed.messages as unknown[])[0]).toEqual({
      role: 'system',
      content: 'Answer Globex customers in Dutch.',
    });
  });

  it('refuses a value for a variable the version does not have, naming it and the ones it has', () => {
    const next = version({ messages: JSON.stringify([{ role: 'system', content: 'For {{company}}.' }]) });
    expect(() =>
      withPromptVersion(recordedBody(recorded), next, undefined, { company: 'Acme', tone: 'dry' }),
    ).toThrow(
      expect.objectContaining({
        reason: 'invalid_prompt_variables',
        param: 'overrides.variables.tone',
        message: "Prompt 'support' version 1 has no variable {{tone}}; its variables: {{company}}",
      }),
    );
  });
});
