import { OwnRecords } from './own-records';

const record = (key: string, value: string) => ({ key, value: Buffer.from(value) });

describe('OwnRecords', () => {
  it('given records remembered, when the tail reads them back, then each is ours once', () => {
    const own = new OwnRecords(10);
    expect(own.remember('llm', [record('t1', 'a'), record('t1', 'b'), record('t2', 'a')])).toBe(true);
    expect(own.forget('llm', record('t1', 'b'))).toBe(true);
    expect(own.forget('llm', record('t1', 'b'))).toBe(false); // a second copy (a relay retried) is not ours
    expect(own.forget('llm', record('t1', 'a'))).toBe(true);
    expect(own.size).toBe(1);
  });

  it('matches topic, key and bytes: another process’s record is never taken for ours', () => {
    const own = new OwnRecords(10);
    own.remember('llm', [record('t1', 'a')]);
    expect(own.forget('live', record('t1', 'a'))).toBe(false);
    expect(own.forget('llm', record('t2', 'a'))).toBe(false);
    expect(own.forget('llm', record('t1', 'A'))).toBe(false);
    expect(own.size).toBe(1);
  });

  it('refuses a batch that does not fit whole, and takes one again once some were read back', () => {
    const own = new OwnRecords(3);
    expect(own.remember('llm', [record('t1', 'a'), record('t1', 'b')])).toBe(true);
    expect(own.remember('llm', [record('t2', 'c'), record('t2', 'd')])).toBe(false);
    expect(own.forget('llm', record('t2', 'c'))).toBe(false);
    own.forget('llm', record('t1', 'a'));
    expect(own.remember('llm', [record('t2', 'c'), record('t2', 'd')])).toBe(true);
    expect(own.size).toBe(3);
  });
});
