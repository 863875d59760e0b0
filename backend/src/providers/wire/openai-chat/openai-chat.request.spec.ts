import { InvalidInputError } from '../../../common/errors';
import { checkChatRequest } from './openai-chat.request';

const valid = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };

function refusal(body: unknown): { message: string; param: string | null } {
  try {
    checkChatRequest(body);
  } catch (error) {
    if (error instanceof InvalidInputError) return { message: error.message, param: error.param };
    throw error;
  }
  throw new Error('expected an InvalidInputError');
}

describe('checkChatRequest', () => {
  it('accepts a valid body as it is', () => {
    const body = { ...valid, temperature: null, n: 2, max_tokens: 5 };
    expect(checkChatRequest(body)).toBe(body);
  });

  it.each([
    [
      { temperature: -3 },
      'temperature',
      "Invalid value for 'temperature': must be a number between 0 and 2, or null (got -3).",
    ],
    [{ top_p: 'high' }, 'top_p', 'must be a number between 0 and 1, or null (got "high")'],
    [{ max_tokens: -5 }, 'max_tokens', 'must be a positive integer, or null (got -5)'],
    [{ max_tokens: 1.5 }, 'max_tokens', 'must be a positive integer, or null (got 1.5)'],
    [{ n: 100000 }, 'n', 'must be an integer between 1 and 128, or null (got 100000)'],
    [{ stream: 'yes' }, 'stream', 'must be a boolean, or null (got "yes")'],
    [{ model: '' }, 'model', 'must be a non-empty string of at most 256 characters (got "")'],
    [{ messages: [] }, 'messages', 'must be an array of at least 1 item(s) (got [])'],
    [
      { messages: [{ role: 'robot' }] },
      'messages.0.role',
      "must be one of 'system', 'developer', 'user', 'assistant', 'tool' (got \"robot\")",
    ],
    [
      { messages: [{ role: 'user', content: 5 }] },
      'messages.0.content',
      'must be a string or an array, or null (got 5)',
    ],
  ])('refuses %j saying what the field must be', (change, param, says) => {
    const { message, param: named } = refusal({ ...valid, ...change });
    expect(named).toBe(param);
    expect(message).toContain(says);
    expect(message).not.toMatch(/Expected union value/);
  });

  it('names a missing required field', () => {
    expect(refusal({ messages: valid.messages })).toEqual({
      message:
        "Invalid value for 'model': is required and must be a non-empty string of at most 256 characters.",
      param: 'model',
    });
  });
});
