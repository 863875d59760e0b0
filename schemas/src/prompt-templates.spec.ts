import { matchTemplate, variablesIn } from './prompt-templates';

describe('prompt templates', () => {
  it('lists the variables of texts once each, in order of first use', () => {
    expect(variablesIn(['Hi {{ name }}, about {{topic}}', '{{name}} again {{user.id}}', 'none'])).toEqual([
      'name',
      'topic',
      'user.id',
    ]);
  });

  it('reads the values of variables back from a filled template, and refuses text that does not fit', () => {
    expect(matchTemplate('Hello {{name}}, about {{topic}}.', 'Hello Ada, about the late order.')).toEqual({
      name: 'Ada',
      topic: 'the late order',
    });
    expect(matchTemplate('{{a}} and {{b}}', 'x and y and z')).toEqual({ a: 'x', b: 'y and z' });
    expect(matchTemplate('{{a}} then {{a}}', 'x then y')).toEqual({ a: 'x' });
    expect(matchTemplate('Hello {{name}}.', 'Goodbye Ada.')).toBeUndefined();
    expect(matchTemplate('<{{a}}|{{b}}>', '<x>')).toBeUndefined();
    expect(matchTemplate('No variables', 'No variables')).toEqual({});
    expect(matchTemplate('No variables', 'Other text')).toBeUndefined();
  });
});
