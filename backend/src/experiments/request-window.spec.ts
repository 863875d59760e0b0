import type { GenerationRequested } from '@sightline/schemas';
import { RequestWindow } from './request-window';

type Span = { projectId: string; spanId: string };

/** An archive holding a request for every span but `missing`; it records each query. */
function archive(missing: string[] = []) {
  const queries: string[][] = [];
  let failNext = false;
  return {
    queries,
    failOnce: () => (failNext = true),
    findRequests: (spans: readonly Span[]): Promise<GenerationRequested[]> => {
      queries.push(spans.map((s) => s.spanId));
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('chDB is busy'));
      }
      return Promise.resolve(
        spans
          .filter((s) => !missing.includes(s.spanId))
          .map((s) => ({ projectId: s.projectId, spanId: s.spanId }) as GenerationRequested),
      );
    },
  };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `g${i}`);

describe('a run’s recorded requests, read ahead in chunks', () => {
  it('given 25 generations and chunks of 10, when asked in order, then 3 queries read them all, the next chunk ahead', async () => {
    const a = archive();
    const window = new RequestWindow(a, 'p1', ids(25), 10);
    const first = await window.get('g0');
    expect(first).toMatchObject({ projectId: 'p1', spanId: 'g0' });
    expect(a.queries).toEqual([ids(10), ids(20).slice(10)]); // the second is read ahead
    for (const id of ids(25)) expect((await window.get(id))?.spanId).toBe(id);
    expect(a.queries).toHaveLength(3);
  });

  it('reads a generation asked for under several configurations once', async () => {
    const a = archive();
    const window = new RequestWindow(a, 'p1', ['g0', 'g0', 'g1', 'g1'], 10);
    await window.get('g0');
    await window.get('g1');
    expect(a.queries).toEqual([['g0', 'g1']]);
  });

  it('answers undefined for one not archived, one not in the run, and while a chunk cannot be read (read again next time)', async () => {
    const a = archive(['g1']);
    const window = new RequestWindow(a, 'p1', ids(3), 10);
    a.failOnce();
    expect(await window.get('g0')).toBeUndefined();
    expect(await window.get('g0')).toMatchObject({ spanId: 'g0' });
    expect(await window.get('g1')).toBeUndefined();
    expect(await window.get('other')).toBeUndefined();
    expect(a.queries).toHaveLength(2);
  });
});
