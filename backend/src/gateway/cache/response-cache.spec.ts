import type { Clock } from '../../common/clock';
import type { ChatCompletion } from '../../providers/wire/chat-completions';
import { cacheKey } from './cache-key';
import { cachePolicy, DEFAULT_CACHE_TTL_SECONDS } from './cache-policy';
import { ResponseCache, type CachedAnswer } from './response-cache';
import { replayChunks } from './stored-answer';

const completion = (content: string): ChatCompletion => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  system_fingerprint: 'fp_1',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 },
});
const answer = (content: string): CachedAnswer => ({
  completion: completion(content),
  provider: 'openai',
  model: 'gpt-4o-mini',
});

class StillClock {
  ms = 1_000;
  monotonicMs(): number {
    return this.ms;
  }
}

describe('cachePolicy', () => {
  it.each([
    [undefined, null],
    ['off', null],
    ['on', { ttlSeconds: DEFAULT_CACHE_TTL_SECONDS }],
    ['max-age=600', { ttlSeconds: 600 }],
    [' MAX-AGE=1 ', { ttlSeconds: 1 }],
  ])('reads %p', (header, policy) => {
    expect(cachePolicy(header)).toEqual(policy);
  });

  it.each(['yes', 'max-age=0', 'max-age=-5', 'max-age=99999999', 'max-age=1.5'])(
    'refuses %p by name',
    (header) => {
      expect(() => cachePolicy(header)).toThrow(/x-sightline-cache/);
    },
  );
});

describe('cacheKey', () => {
  const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

  it('ignores key order and delivery-only fields', () => {
    const reordered = {
      temperature: 0,
      stream: true,
      stream_options: { include_usage: true },
      user: 'u-9',
      messages: body.messages,
      model: body.model,
    };
    expect(cacheKey('p1', 'openai-chat', reordered)).toBe(cacheKey('p1', 'openai-chat', body));
  });

  it('differs by project, format and anything the model sees', () => {
    const key = cacheKey('p1', 'openai-chat', body);
    expect(cacheKey('p2', 'openai-chat', body)).not.toBe(key);
    expect(cacheKey('p1', 'anthropic-messages', body)).not.toBe(key);
    expect(cacheKey('p1', 'openai-chat', { ...body, temperature: 0.1 })).not.toBe(key);
    expect(cacheKey('p1', 'openai-chat', { ...body, messages: [{ role: 'user', content: 'hi!' }] })).not.toBe(
      key,
    );
  });
});

describe('ResponseCache', () => {
  it('answers until the TTL the request asked for has passed', () => {
    const clock = new StillClock();
    const cache = new ResponseCache(clock as unknown as Clock);
    cache.set('k', answer('hello'), 60);
    clock.ms += 59_999;
    expect(cache.get('k')?.completion.choices[0]?.message.content).toBe('hello');
    clock.ms += 2;
    expect(cache.get('k')).toBeUndefined();
  });

  it('evicts the least recently used answers beyond its byte budget', () => {
    const size = JSON.stringify(completion('x'.repeat(100))).length;
    const cache = new ResponseCache(new StillClock() as unknown as Clock, size * 2 + 10);
    cache.set('a', answer('x'.repeat(100)), 60);
    cache.set('b', answer('y'.repeat(100)), 60);
    cache.get('a');
    cache.set('c', answer('z'.repeat(100)), 60);
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBeDefined();
  });
});

describe('replayChunks', () => {
  it('streams a stored answer: role, content, finish, then usage alone', () => {
    const chunks = replayChunks(completion('hello'));
    expect(chunks.map((c) => c.choices[0]?.delta ?? null)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'hello' },
      {},
      null,
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(7);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.system_fingerprint === 'fp_1')).toBe(
      true,
    );
  });

  it('replays every choice and whole tool calls with their stream index', () => {
    const call = { id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '{"a":1}' } };
    const stored: ChatCompletion = {
      ...completion(''),
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: null, tool_calls: [call] },
          finish_reason: 'tool_calls',
        },
        { index: 1, message: { role: 'assistant', content: 'two' }, finish_reason: 'stop' },
      ],
    };
    const chunks = replayChunks(stored);
    expect(chunks.flatMap((c) => c.choices.flatMap((ch) => ch.delta.tool_calls ?? []))).toEqual([
      { index: 0, ...call },
    ]);
    expect(chunks.filter((c) => c.choices[0]?.index === 1).map((c) => c.choices[0]?.delta.content)).toContain(
      'two',
    );
  });
});
