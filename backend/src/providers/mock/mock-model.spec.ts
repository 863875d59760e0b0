import type { ChatMessage } from '@sightline/schemas';
import { countTokens, maxOutputTokens, parseMockHooks, runMockModel, type MockReply } from './mock-model';

const user = (content: string): ChatMessage => ({ role: 'user', content });

function reply(messages: ChatMessage[], params: Record<string, unknown> = {}): MockReply {
  const outcome = runMockModel({ messages, params });
  if (outcome.kind !== 'reply') throw new Error(`expected a reply, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe('mock model', () => {
  it('is deterministic: the same messages give the same reply', () => {
    const messages = [{ role: 'system', content: 'Be brief.' } as const, user('What is a trace?')];
    expect(runMockModel({ messages, params: {} })).toEqual(
      runMockModel({ messages: [...messages], params: {} }),
    );
  });

  it('does not depend on the wire format of the messages (Sightline or OpenAI shape)', () => {
    const sightline = runMockModel({
      messages: [
        user('hello there'),
        { role: 'assistant', content: 'hi', toolCallId: undefined } satisfies ChatMessage,
      ],
    });
    const wire = runMockModel({
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello there' }] },
        { role: 'assistant', content: 'hi' },
      ],
    });
    expect(wire).toEqual(sightline);
  });

  it('echoes the last user message, then deterministic filler, tokens being words', () => {
    const r = reply([
      user('first question'),
      { role: 'assistant', content: 'an answer' },
      user('Explain spans please'),
    ]);
    expect(r.content).toMatch(/^Mock reply to: Explain spans please \w+/);
    expect(r.content?.endsWith('.')).toBe(true);
    expect(r.tokens.join('')).toBe(r.content);
    expect(r.tokens[0]).toBe('Mock');
    expect(r.tokens.slice(1).every((t) => t.startsWith(' ') && !t.slice(1).includes(' '))).toBe(true);
    expect(r.tokens.length).toBeGreaterThanOrEqual(6 + 12);
    expect(r.tokens.length).toBeLessThanOrEqual(6 + 32);
    expect(r.finishReason).toBe('stop');
  });

  it('truncates a long user message in the echo', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const r = reply([user(long)]);
    expect(r.content).toContain('w11...');
    expect(r.content).not.toContain('w12');
  });

  it('gives different replies to different conversations', () => {
    const contents = new Set(
      ['a', 'b', 'c', 'd'].map((q) => reply([user(`question ${q}`)]).content?.slice(25)),
    );
    expect(contents.size).toBeGreaterThan(1);
  });

  it('counts usage: input tokens over all messages, output tokens emitted', () => {
    const r = reply([{ role: 'system', content: 'Be brief.' }, user("What's up, doc?")]);
    // Be / brief / . + What / ' / s / up / , / doc / ?
    expect(r.usage).toEqual({
      inputTokens: 10,
      outputTokens: r.tokens.length,
      totalTokens: 10 + r.tokens.length,
      cachedTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('cuts the reply at max_tokens with finish reason length', () => {
    const messages = [user('Tell me everything')];
    const full = reply(messages);
    const cut = reply(messages, { max_tokens: 5 });
    expect(cut.tokens).toEqual(full.tokens.slice(0, 5));
    expect(cut.finishReason).toBe('length');
    expect(cut.usage.outputTokens).toBe(5);
    expect(reply(messages, { max_completion_tokens: 3, max_tokens: 7 }).tokens).toHaveLength(3);
    const roomy = reply(messages, { max_tokens: full.tokens.length });
    expect(roomy).toEqual(full);
  });

  it('forces the output length with [mock:tokens:n], still cut by max_tokens', () => {
    const forced = reply([user('go [mock:tokens:250]')]);
    expect(forced.tokens).toHaveLength(250);
    expect(forced.finishReason).toBe('stop');
    expect(forced.content).toMatch(/^Mock reply to: go \w/);
    expect(reply([user('[mock:tokens:2]')]).content).toBe('Mock reply');
    expect(reply([user('[mock:tokens:0]')]).content).toBe('');
    const cut = reply([user('go [mock:tokens:250]')], { max_tokens: 10 });
    expect(cut.tokens).toHaveLength(10);
    expect(cut.finishReason).toBe('length');
  });

  it('fails with [mock:error:<status>]', () => {
    expect(runMockModel({ messages: [user('boom [mock:error:503]')] })).toEqual({
      kind: 'error',
      status: 503,
      message: 'Mock error 503 requested by [mock:error:503]',
      delayMs: 0,
    });
    // Not an HTTP error status: ignored.
    expect(runMockModel({ messages: [user('[mock:error:200]')] }).kind).toBe('reply');
  });

  it('reads hooks from the last user message only', () => {
    expect(runMockModel({ messages: [user('[mock:error:500]'), user('fine')] }).kind).toBe('reply');
    expect(
      parseMockHooks([
        user('[mock:delay:150] [mock:drop:3] [mock:tokens:4] [mock:tool:lookup] [mock:fail:2]'),
      ]),
    ).toEqual({
      errorStatus: null,
      forcedTokens: 4,
      toolName: 'lookup',
      delayMs: 150,
      dropAfterTokens: 3,
      failAfterTokens: 2,
    });
  });

  it('gives each of n choices its own filler, choice 0 being the plain reply', () => {
    const messages = [user('choose')];
    const plain = reply(messages);
    expect(runMockModel({ messages, choice: 0 })).toEqual(plain);
    const second = runMockModel({ messages, choice: 1 });
    expect(second.kind === 'reply' && second.content).not.toBe(plain.content);
    expect(second.kind === 'reply' && second.content).toMatch(/^Mock reply to: choose/);
  });

  it('answers with a tool call for [mock:tool:<name>]', () => {
    const r = reply([user('weather in Paris [mock:tool:get_weather]')]);
    expect(r.content).toBeNull();
    expect(r.finishReason).toBe('tool_calls');
    expect(r.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{8}$/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"input":"weather in Paris"}' },
      },
    ]);
    expect(r.usage.outputTokens).toBe(countTokens('{"input":"weather in Paris"}'));
  });

  it('counts tokens as words and punctuation', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('  hello   world ')).toBe(2);
    expect(countTokens('a,b')).toBe(3);
    expect(countTokens('héllo wörld 42')).toBe(3);
  });

  it('reads max_tokens only when it is a non-negative integer', () => {
    expect(maxOutputTokens({ max_tokens: 'x' })).toBeNull();
    expect(maxOutputTokens({ max_tokens: 1.5 })).toBeNull();
    expect(maxOutputTokens({ max_tokens: 0 })).toBe(0);
    expect(maxOutputTokens(undefined)).toBeNull();
  });
});
