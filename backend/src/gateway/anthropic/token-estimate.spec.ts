import { countTokens } from 'gpt-tokenizer';
import { estimateInputTokens, IMAGE_TOKENS } from './token-estimate';

describe('input token estimate', () => {
  it('counts text, images, tool calls and tool definitions', () => {
    const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;
    const estimate = estimateInputTokens(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'be brief' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'what is this' },
              { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            ],
          },
          {
            role: 'assistant',
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{} x' } }],
          },
        ],
        tools: [{ type: 'function', function: { name: 'f' } }],
      },
      words,
    );
    const toolsWords = words(JSON.stringify([{ type: 'function', function: { name: 'f' } }]));
    expect(estimate).toBe(3 * 4 + 2 + 3 + IMAGE_TOKENS + 2 + toolsWords);
  });

  it('counts with a real BPE tokenizer: more text, more tokens', () => {
    const count = (text: string) =>
      estimateInputTokens({ model: 'm', messages: [{ role: 'user', content: text }] }, countTokens);
    expect(count('Hello world')).toBe(4 + countTokens('Hello world'));
    expect(count('Hello world, again and again and again')).toBeGreaterThan(count('Hello world'));
  });
});
