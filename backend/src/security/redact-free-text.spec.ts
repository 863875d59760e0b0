import { encodeEvent, type GenerationRequested, type SightlineEvent } from '@sightline/schemas';
import { generationEvents, spanEvent } from '../../test/support/events';
import { redactEvent } from './redact-event';
import { redactFreeText } from './redact-free-text';

// A rule as broad as a careless one can be: every run of 2+ word characters.
const everything = (text: string) => text.replace(/\w{2,}/g, 'X');

describe('redactFreeText', () => {
  it('rewrites what was said, and never ids, models, roles, times, usage or costs', () => {
    const [requested, completed] = generationEvents('proj_1', { output: 'mail bob' });
    const asked: GenerationRequested = {
      ...(requested as GenerationRequested),
      endUserId: 'bob@xy.io',
      data: {
        ...(requested as GenerationRequested).data,
        user: 'bob@xy.io',
        tags: ['vip bob'],
        metadata: { customer: 'bob' },
        tools: [{ type: 'function', function: { name: 'lookup', description: 'find bob' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hello bob' }] },
          { role: 'tool', content: 'bob is here', toolCallId: 'call_1' },
        ],
      },
    };
    const [a, c] = [asked, completed].map((e) => redactFreeText(e, everything)) as [
      GenerationRequested,
      SightlineEvent,
    ];
    expect(a).toMatchObject({ eventId: asked.eventId, spanId: asked.spanId, endUserId: 'X@X.X' });
    expect(a.data).toMatchObject({
      provider: 'mock',
      model: 'mock-1',
      params: { temperature: 0 },
      user: 'X@X.X',
      tags: ['X X'],
      metadata: { customer: 'X' },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'X X' }] },
        { role: 'tool', content: 'X X X', toolCallId: 'call_1' },
      ],
    });
    expect(JSON.stringify(c)).not.toContain('bob');
    expect(c.data).toEqual({
      ...completed.data,
      output: { choices: [{ index: 0, content: 'X X', toolCalls: [], finishReason: 'stop' }] },
    });
    // Still valid events: a rule never breaks what the log checks.
    expect(() => encodeEvent(a)).not.toThrow();
    expect(() => encodeEvent(c)).not.toThrow();
  });

  it('rewrites a span’s input, output, status message, tags and metadata values', () => {
    const span = spanEvent(
      { projectId: 'p', traceId: 't1', spanId: 's1' },
      {
        kind: 'tool',
        name: 'lookup',
        startedAt: '2026-11-30T10:00:00.000Z',
        status: 'error',
        statusMessage: 'no bob',
        input: { who: ['bob', 1234] },
        output: 'bob',
        tags: ['bob'],
        metadata: { who: 'bob' },
        model: 'gpt-4o',
      },
    );
    const redacted = redactFreeText(span, everything);
    expect(redacted.data).toEqual({
      ...span.data,
      statusMessage: 'X X',
      input: { who: ['X', 1234] },
      output: 'X',
      tags: ['X'],
      metadata: { who: 'X' },
    });
  });

  it('runs after the credential masking, through redactEvent', () => {
    const [requested] = generationEvents('p');
    const key = `sk-proj-${'A1b2C3d4'.repeat(5)}`;
    const event = {
      ...requested,
      data: {
        ...(requested as GenerationRequested).data,
        messages: [{ role: 'user', content: `${key} bob` }],
      },
    } as SightlineEvent;
    const seen: string[] = [];
    const redacted = redactEvent(event, (text) => (seen.push(text), text.replace('bob', '[B]')));
    expect(JSON.stringify(redacted)).not.toContain(key.slice(3));
    expect(seen.join(' ')).not.toContain(key.slice(3));
    expect(JSON.stringify(redacted)).toContain('[B]');
  });
});
