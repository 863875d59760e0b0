import { setMembers } from './json-members';

const edit = (text: string, set: Record<string, string>): string =>
  setMembers(Buffer.from(text), set).toString();

describe('setMembers', () => {
  it('replaces a top-level member’s value and keeps every other byte', () => {
    const text = '{ "model" : "a/b",\n "temperature": 1.0, "x": {"model": "inner"}, "s": "\\"model\\": no" }';
    expect(edit(text, { model: '"b"' })).toBe(text.replace('"a/b"', '"b"'));
  });

  it('appends a member that is absent, after the last one', () => {
    expect(edit('{"model":"m","stream":true}', { stream_options: '{"include_usage":true}' })).toBe(
      '{"model":"m","stream":true,"stream_options":{"include_usage":true}}',
    );
    expect(edit('{ }', { a: '1' })).toBe('{ "a":1}');
  });

  it('replaces and appends at once, whatever the order of the members', () => {
    const text = '{"stream":true,"messages":[{"content":"{\\"model\\":1}"}],"model":"x"}';
    const out = edit(text, { model: '"y"', stream_options: '{"include_usage":true}' });
    expect(JSON.parse(out)).toEqual({
      ...JSON.parse(text),
      model: 'y',
      stream_options: { include_usage: true },
    });
    expect(out.startsWith('{"stream":true,"messages":[{"content":"{\\"model\\":1}"}],"model":"y"')).toBe(
      true,
    );
  });

  it('skips strings with escaped quotes and backslashes, and nested arrays and objects', () => {
    const text = '{"a":"x\\\\","b":[1,{"c":"]}\\""}],"n":-1.5e3,"t":null,"model":"old"}';
    expect(JSON.parse(edit(text, { model: '"new"' }))).toEqual({ ...JSON.parse(text), model: 'new' });
  });

  it('returns the same buffer when there is nothing to set', () => {
    const bytes = Buffer.from('{"model":"m"}');
    expect(setMembers(bytes, {})).toBe(bytes);
  });

  it('keeps multi-byte text intact', () => {
    const text = '{"messages":[{"content":"héllo 😀 \\u00e9"}],"model":"m"}';
    expect(edit(text, { model: '"n"' })).toBe(text.replace('"m"}', '"n"}'));
  });
});
