import { jsonSchemaError, responseFormatError, toolDefinitionsError } from './tool-definitions';

const tool = (fn: Record<string, unknown>) => ({ type: 'function', function: fn });

describe('tool definitions and response formats', () => {
  it('accepts well-formed tools and schemas', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    expect(toolDefinitionsError([tool({ name: 'get_weather', description: 'x', parameters })])).toBeNull();
    expect(toolDefinitionsError([tool({ name: 'ping' })])).toBeNull();
    expect(
      responseFormatError({ type: 'json_schema', json_schema: { name: 'out', schema: parameters } }),
    ).toBeNull();
    expect(responseFormatError({ type: 'json_object' })).toBeNull();
  });

  it('names what is wrong with a tool', () => {
    expect(toolDefinitionsError([{ type: 'function' }])).toMatch(/tools\[0\]\.function must be an object/);
    expect(toolDefinitionsError([tool({ name: 'get weather!' })])).toMatch(/tools\[0\]\.function\.name/);
    expect(toolDefinitionsError([tool({ name: 'a' }), { type: 'retrieval' }])).toMatch(/tools\[1\]\.type/);
    expect(toolDefinitionsError([tool({ name: 'a', parameters: { type: 'nonsense' } })])).toMatch(
      /^tools\[0\]\.function\.parameters is not a valid JSON schema: schema\/type/,
    );
    expect(toolDefinitionsError([tool({ name: 'a', parameters: { type: 'string' } })])).toMatch(
      /describe an object/,
    );
  });

  it('names what is wrong with a response format', () => {
    expect(
      responseFormatError({ type: 'json_schema', json_schema: { name: 'out', schema: { type: 'objekt' } } }),
    ).toMatch(/^json_schema\.schema is not a valid JSON schema/);
    expect(responseFormatError({ type: 'xml' })).toMatch(/type must be/);
    expect(jsonSchemaError([])).toMatch(/an object/);
  });
});
