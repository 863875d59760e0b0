import type { ChatMessage } from '@sightline/schemas';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
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

  it('echoes the last user message, then paragraphs of plausible sentences, tokens being words', () => {
    const r = reply([
      user('first question'),
      { role: 'assistant', content: 'an answer' },
      user('Explain spans please'),
    ]);
    expect(r.content).toMatch(/^Mock reply to: Explain spans please\n\n[A-Z][a-z]+/);
    expect(r.content).toMatch(/[.?!]$/);
    expect(r.tokens.join('')).toBe(r.content);
    expect(r.tokens[0]).toBe('Mock');
    expect(r.tokens.slice(1).every((t) => /^(\n\n| )\S+$/.test(t))).toBe(true);
    // sentences: a capital after each full stop, and no word twice in a row
    const body = r.content!.split('\n\n').slice(1).join(' ');
    expect(body.split(/(?<=[.?!]) /).every((sentence) => /^[A-Z]/.test(sentence))).toBe(true);
    expect(body).not.toMatch(/\b(\w+) \1\b/);
    expect(r.tokens.length).toBeGreaterThanOrEqual(20);
    expect(r.tokens.length).toBeLessThanOrEqual(160);
    expect(r.finishReason).toBe('stop');
  });

  it('answers mock-large at length, in paragraphs', () => {
    const r = reply([user('Explain retries')], { model: 'mock-large' });
    expect(r.content!.split('\n\n').length).toBeGreaterThanOrEqual(3);
    expect(r.tokens.length).toBeGreaterThanOrEqual(60);
    expect(r.tokens.length).toBeLessThanOrEqual(6 + 150 + 20);
  });

  it('writes about the main word of the question in some answers', () => {
    const answers = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map(
      (q) => reply([user(`How do I tune retrieval ${q}?`)]).content!,
    );
    expect(answers.some((a) => a.split('\n\n').slice(1).join(' ').includes('retrieval'))).toBe(true);
  });

  it('truncates a long user message in the echo', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const r = reply([user(long)]);
    expect(r.content).toContain('w11...');
    expect(r.content).not.toContain('w12');
  });

  it('gives different replies to different conversations', () => {
    const contents = new Set(
      ['a', 'b', 'c', 'd'].map((q) => reply([user(`question ${q}`)]).content?.slice(30)),
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
    expect(forced.content).toMatch(/^Mock reply to: go\n\n\w/);
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

describe('mock model: tools and JSON', () => {
  const weather = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: 'object',
        properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } },
        required: ['location', 'unit'],
        additionalProperties: false,
      },
    },
  };
  const search = { type: 'function', function: { name: 'search_docs', parameters: { type: 'object' } } };
  const ajv = new Ajv({ strict: false });
  addFormats(ajv);

  it('calls the tool that fits the question, with arguments valid against its schema', () => {
    const r = reply([user("What's the weather in Lisbon today?")], { tools: [search, weather] });
    expect(r.finishReason).toBe('tool_calls');
    const call = r.toolCalls![0].function;
    expect(call.name).toBe('get_weather');
    const args = JSON.parse(call.arguments);
    expect(ajv.validate(weather.function.parameters, args)).toBe(true);
    expect(args.location).toBe('Lisbon');
  });

  it('answers in prose when no tool fits, after a tool result, or with tool_choice none', () => {
    expect(reply([user('And tomorrow?')], { tools: [weather] }).toolCalls).toBeUndefined();
    const after = reply(
      [
        user('Weather in Oslo?'),
        { role: 'assistant', content: null } as never,
        { role: 'tool', content: '{"temp":3}' },
      ],
      { tools: [weather] },
    );
    expect(after.toolCalls).toBeUndefined();
    expect(after.content).toMatch(/^Mock reply to: Weather in Oslo\?/);
    expect(
      reply([user('Weather in Oslo?')], { tools: [weather], tool_choice: 'none' }).toolCalls,
    ).toBeUndefined();
  });

  it('calls the tool tool_choice names, or the first one when a call is required', () => {
    const named = { type: 'function', function: { name: 'search_docs' } };
    expect(
      reply([user('Weather in Oslo?')], { tools: [weather, search], tool_choice: named }).toolCalls![0]
        .function.name,
    ).toBe('search_docs');
    expect(
      reply([user('hello')], { tools: [search, weather], tool_choice: 'required' }).toolCalls![0].function
        .name,
    ).toBe('search_docs');
  });

  it('answers JSON valid against a json_schema response format, the same for the same input', () => {
    const schema = {
      type: 'object',
      properties: {
        title: { type: 'string', maxLength: 40 },
        sentiment: { enum: ['positive', 'neutral', 'negative'] },
        score: { type: 'integer', minimum: 1, maximum: 5 },
        ratio: { type: 'number', minimum: 0, maximum: 1 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 4 },
        when: { type: 'string', format: 'date-time' },
        author: { $ref: '#/$defs/person' },
        reviewed: { type: ['boolean', 'null'] },
      },
      required: ['title', 'sentiment', 'score', 'ratio', 'tags', 'when', 'author', 'reviewed'],
      additionalProperties: false,
      $defs: {
        person: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
          required: ['email'],
        },
      },
    };
    const params = {
      response_format: { type: 'json_schema', json_schema: { name: 'review', schema, strict: true } },
    };
    for (const q of ['Review this', 'Review that', 'Another one']) {
      const r = reply([user(q)], params);
      expect(r.tokens.join('')).toBe(r.content);
      expect(ajv.validate(schema, JSON.parse(r.content!))).toBe(true);
      expect(reply([user(q)], params)).toEqual(r);
    }
  });

  it('answers a JSON object with the prose in `answer` for json_object', () => {
    const r = reply([user('Summarise the incident')], { response_format: { type: 'json_object' } });
    expect(JSON.parse(r.content!)).toEqual({ answer: expect.stringMatching(/^[A-Z].+[.?!]$/) });
  });
});
