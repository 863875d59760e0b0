import { describe, expect, it } from 'vitest';
import { checkOutput, compileSchema } from './structured';

const schema = JSON.stringify({
  type: 'object',
  properties: { city: { type: 'string' }, celsius: { type: 'number' } },
  required: ['city', 'celsius'],
});

describe('structured output', () => {
  it('refuses schema text that is not JSON, not an object, or not a valid schema', () => {
    expect(compileSchema('{oops')).toMatchObject({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(compileSchema('[1]')).toMatchObject({ ok: false, error: expect.stringMatching(/object/) });
    expect(compileSchema('{"type": "nonsense"}')).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /^The schema is not a valid JSON schema: \/type: Instance does not match any of/,
      ),
    });
    expect(compileSchema('{"properties": {"a": {"minLength": -1}}}')).toMatchObject({ ok: false });
  });

  it('given a matching answer, parses it with no errors and no repair', () => {
    const compiled = compileSchema(schema);
    if (!compiled.ok) throw new Error(compiled.error);
    expect(checkOutput(compiled.validate, '{"city":"Lyon","celsius":12}')).toEqual({
      parsed: { city: 'Lyon', celsius: 12 },
      errors: [],
      repaired: false,
    });
  });

  it('given JSON inside a code fence, cuts it out and says it was repaired', () => {
    const compiled = compileSchema(schema);
    if (!compiled.ok) throw new Error(compiled.error);
    const checked = checkOutput(compiled.validate, 'Sure!\n```json\n{"city":"Lyon","celsius":12}\n```');
    expect(checked).toMatchObject({ errors: [], repaired: true });
  });

  it('given a wrong shape, lists each error with its path; given no JSON, says so', () => {
    const compiled = compileSchema(schema);
    if (!compiled.ok) throw new Error(compiled.error);
    const checked = checkOutput(compiled.validate, '{"city": 3}');
    expect(checked.errors).toEqual(
      expect.arrayContaining([
        '/city: Instance type "number" is invalid. Expected "string".',
        '/: Instance does not have required property "celsius".',
      ]),
    );
    expect(checked.errors).toHaveLength(2); // no "property city does not match" summary beside them
    expect(checkOutput(compiled.validate, 'no json here').errors).toEqual(['The output is not JSON']);
  });
});
