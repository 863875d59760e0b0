import { jsonObjectOf, variablesFromJson } from './json-text';

describe('JSON text from forms', () => {
  it('reads a JSON object, nothing from blank text, and null from anything else', () => {
    expect(jsonObjectOf(' {"temperature": 0.2} ')).toEqual({ temperature: 0.2 });
    expect(jsonObjectOf('  ')).toBeUndefined();
    for (const text of ['[1]', '"a"', '3', 'null', '{oops'] as const) expect(jsonObjectOf(text)).toBeNull();
  });

  it('reads prompt variables only as an object of texts', () => {
    expect(variablesFromJson('{"customer": "Ada"}')).toEqual({ customer: 'Ada' });
    expect(variablesFromJson('')).toBeUndefined();
    expect(variablesFromJson('{"n": 3}')).toBeNull();
    expect(variablesFromJson('["Ada"]')).toBeNull();
  });
});
