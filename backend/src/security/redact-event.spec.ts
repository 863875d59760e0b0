import type { GenerationFailed, GenerationRequested } from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { REDACTED } from './redact';
import { redactEvent } from './redact-event';
import { findSecrets } from './secret-scanner';

// The real scanner, watched.
jest.mock('./secret-scanner', () => {
  const actual = jest.requireActual<typeof import('./secret-scanner')>('./secret-scanner');
  return { ...actual, findSecrets: jest.fn(actual.findSecrets) };
});

const key = `sk-proj-${'A1b2C3d4'.repeat(5)}`;
const aws = 'AKIA' + 'Q7ZK3M5N2P4R6T8V';

describe('redactEvent', () => {
  it('masks secrets in every free-text field of a request, the end user included', () => {
    const [requested] = generationEvents('proj_1') as [GenerationRequested, unknown];
    const event: GenerationRequested = {
      ...requested,
      endUserId: aws,
      data: {
        ...requested.data,
        user: aws,
        tags: [`tag ${key}`],
        metadata: { [`k ${aws}`]: `v ${key}` },
        tools: [{ type: 'function', function: { name: 'f', description: key } }],
        messages: [
          {
            role: 'assistant',
            content: null,
            toolCalls: [{ function: { name: 'f', arguments: JSON.stringify({ key }) } }],
          },
          { role: 'tool', content: [{ type: 'text', text: aws }], toolCallId: 'c1' },
        ],
      },
    };
    const text = JSON.stringify(redactEvent(event));
    expect(text).not.toContain(key.slice(3));
    expect(text).not.toContain(aws);
    expect(text.split(REDACTED).length).toBeGreaterThan(8);
    expect(redactEvent(event).spanId).toBe(event.spanId);
  });

  it('masks an error message and keeps ordinary text as it was', () => {
    const [, completed] = generationEvents('proj_1');
    const failed: GenerationFailed = {
      ...completed,
      type: 'generation.failed',
      version: 3,
      data: {
        errorClass: 'provider_error',
        providerStatus: 401,
        message: `Incorrect API key provided: ${key}`,
        startedAt: completed.occurredAt,
        latencyMs: 3,
        output: null,
        usage: null,
        timeToFirstTokenMs: null,
        cost: null,
      },
    };
    expect(redactEvent(failed).data.message).toBe(`Incorrect API key provided: sk-${REDACTED}`);
    const [plain] = generationEvents('proj_1');
    expect(redactEvent(plain)).toEqual(plain);
  });

  it('sends no field name of the event schemas to the secret scanner, and still masks a secret used as a key', () => {
    const [requested, completed] = generationEvents('proj_1');
    const scanned = jest.mocked(findSecrets);
    scanned.mockClear();
    redactEvent(completed); // holds timeToFirstTokenMs, reasoningTokens...
    expect(scanned).not.toHaveBeenCalled();

    const withKey = {
      ...requested,
      data: { ...requested.data, metadata: { [aws]: 'v' } },
    } as GenerationRequested;
    expect(JSON.stringify(redactEvent(withKey))).not.toContain(aws);
    expect(scanned).toHaveBeenCalled();
  });
});
