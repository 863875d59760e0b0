import { describe, expect, it } from 'vitest';
import { setupFromRecorded, withPromptTemplates, type RecordedRequest } from './recorded';
import {
  emptySetup,
  imagePart,
  partLabel,
  promptFields,
  promptInUse,
  promptMetadata,
  requestBody,
  SetupError,
} from './setup';

describe('the playground request', () => {
  it('fills variables, sets only the parameters given, and sends the schema as response_format', () => {
    const setup = emptySetup();
    setup.turns[1].content = 'Weather in {{city}}?';
    setup.values = { city: 'Lyon' };
    setup.params.temperature = 0.2;
    setup.params.max_tokens = '64';
    setup.params.stop = 'END\n###';
    setup.schema = '{"type":"object"}';
    expect(requestBody(setup, 'gpt-4o-mini')).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'Weather in Lyon?' },
      ],
      temperature: 0.2,
      max_tokens: 64,
      stop: ['END', '###'],
      response_format: { type: 'json_schema', json_schema: { name: 'output', schema: { type: 'object' } } },
    });
  });

  it('refuses, before sending, an unknown variable, tools that are not an array and a fractional max tokens', () => {
    const setup = emptySetup();
    setup.turns[1].content = 'Hi {{name}}';
    expect(() => requestBody(setup, 'm')).toThrow(new SetupError('No value for {{name}}'));
    setup.values = { name: 'Ada' };
    setup.tools = '{"type":"function"}';
    expect(() => requestBody(setup, 'm')).toThrow(/JSON array/);
    setup.tools = '[{"type":"function"}]';
    expect(() => requestBody(setup, 'm')).toThrow(/tools\[0\]\.function must be an object/);
    setup.tools = '[{"type":"function","function":{"name":"lookup","parameters":{"type":"nonsense"}}}]';
    expect(() => requestBody(setup, 'm')).toThrow(
      /^Tools: tools\[0\]\.function\.parameters is not a valid JSON schema/,
    );
    setup.tools = '[{"type":"function","function":{"name":"look up"}}]';
    expect(() => requestBody(setup, 'm')).toThrow(/function\.name must be/);
    setup.tools = '';
    setup.schema = '{"type":"objekt"}';
    expect(() => requestBody(setup, 'm')).toThrow(/^The output schema is not a valid JSON schema/);
    setup.schema = '';
    setup.params.max_tokens = 1.5;
    expect(() => requestBody(setup, 'm')).toThrow(/whole number/);
  });

  it('given a recorded request, loads it whole and sends it back unchanged', () => {
    const recorded = {
      model: 'gpt-4o',
      messages: JSON.stringify([
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'look', arguments: '{}' } }],
        },
        { role: 'tool', content: 'a cat', tool_call_id: 'c1' },
      ]),
      params: JSON.stringify({ temperature: 0.5, max_completion_tokens: 100, logprobs: true }),
      tools: JSON.stringify([{ type: 'function', function: { name: 'look' } }]),
      responseFormat: null,
    };
    const { setup, model } = setupFromRecorded(recorded);
    expect(model).toBe('gpt-4o');
    const body = requestBody(setup, model);
    expect(body.messages).toEqual(JSON.parse(recorded.messages));
    expect(body).toMatchObject({
      temperature: 0.5,
      max_tokens: 100,
      logprobs: true,
      tools: JSON.parse(recorded.tools),
    });
  });
});

describe('an image in a user message', () => {
  it('takes an https link or a base64 data URL, sends it after the text, and refuses anything else', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(imagePart(' https://example.com/cat.png ')).toEqual({
      type: 'image_url',
      image_url: { url: 'https://example.com/cat.png' },
    });
    expect(imagePart(png).image_url.url).toBe(png);
    for (const bad of ['cat.png', 'javascript:alert(1)', 'data:text/html;base64,PGI+', ''])
      expect(() => imagePart(bad)).toThrow(SetupError);
    const setup = emptySetup();
    setup.turns[1] = { role: 'user', content: 'What is this?', parts: [imagePart(png)] };
    expect(requestBody(setup, 'mock-1').messages).toContainEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image_url', image_url: { url: png } },
      ],
    });
    expect(partLabel(imagePart(png))).toBe(`${png.slice(0, 30)}…`);
  });
});

describe('a setup saved as a prompt', () => {
  it('keeps {{variables}} unfilled and splits out parameters, tools and the schema; loading it gives the setup back', () => {
    const setup = emptySetup();
    setup.turns[1].content = 'Triage {{ticket}}';
    setup.params.temperature = 0.3;
    setup.tools = '[{"type":"function","function":{"name":"lookup"}}]';
    setup.schema = '{"type":"object"}';
    const fields = promptFields(setup, 'gpt-4o');
    expect(JSON.parse(fields.messages)[1]).toEqual({ role: 'user', content: 'Triage {{ticket}}' });
    expect(JSON.parse(fields.params)).toEqual({ temperature: 0.3 });
    expect(JSON.parse(fields.tools!)).toEqual([{ type: 'function', function: { name: 'lookup' } }]);
    const back = setupFromRecorded(fields as RecordedRequest & { model: string });
    expect(back.model).toBe('gpt-4o');
    expect(requestBody({ ...back.setup, values: { ticket: '#12' } }, 'gpt-4o')).toEqual(
      requestBody({ ...setup, values: { ticket: '#12' } }, 'gpt-4o'),
    );
  });

  it('records the prompt version in use while the setup still begins with its messages, values filled or not', () => {
    const setup = emptySetup();
    setup.turns[1].content = 'Summarise {{ticket}}';
    const used = promptInUse(setup, 'e2e/summary', 3);
    setup.values = { ticket: 'T-42: the printer is on fire' };
    expect(promptMetadata(setup, used)).toEqual({ 'prompt.name': 'e2e/summary', 'prompt.version': '3' });
    setup.turns.push({ role: 'assistant', content: 'On it.' }); // the conversation goes on after it
    expect(promptMetadata(setup, used)).toEqual({ 'prompt.name': 'e2e/summary', 'prompt.version': '3' });
    setup.turns[0].content = 'You are terse.'; // the prompt itself was edited: no longer that version
    expect(promptMetadata(setup, used)).toEqual({});
    expect(promptMetadata(setup, null)).toEqual({});
  });

  it('opens a generation made with a prompt version as that version: templates back, values read back', () => {
    const { setup } = setupFromRecorded({
      model: 'mock-1',
      messages: JSON.stringify([
        { role: 'system', content: 'You help Ada with orders, in French.' },
        { role: 'user', content: 'Where is my refund?' },
      ]),
      params: '{}',
    });
    const version = JSON.stringify([
      { role: 'system', content: 'You help {{customer}} with orders, in {{language}}.' },
    ]);

    const templated = withPromptTemplates(setup, version)!;

    expect(templated.turns.map((t) => t.content)).toEqual([
      'You help {{customer}} with orders, in {{language}}.',
      'Where is my refund?',
    ]);
    expect(templated.values).toEqual({ customer: 'Ada', language: 'French' });
    expect(requestBody(templated, 'mock-1').messages).toEqual(requestBody(setup, 'mock-1').messages);
    const other = JSON.stringify([{ role: 'system', content: 'Be terse with {{customer}}.' }]);
    expect(withPromptTemplates(setup, other)).toBeNull();
  });
});
