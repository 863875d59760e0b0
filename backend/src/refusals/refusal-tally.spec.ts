import { MAX_KINDS_PER_WINDOW, RefusalTally, type Refusal } from './refusal-tally';

const limited: Refusal = {
  projectId: 'p1',
  endpoint: 'POST /v1/chat/completions',
  status: 429,
  code: 'too_many_requests',
  model: 'gpt-4o-mini',
  apiKeyId: 'k1',
};
const at = (second: number) => new Date(Date.UTC(2026, 10, 30, 12, 0, second));

describe('RefusalTally', () => {
  it('given 10,000 refusals of one kind, drains one count with the first and last time', () => {
    const tally = new RefusalTally();
    for (let i = 0; i < 10_000; i++) tally.add(limited, at(i % 60));
    tally.add(limited, at(59));

    const drained = tally.drain();

    expect(drained).toEqual([
      {
        projectId: 'p1',
        data: {
          endpoint: 'POST /v1/chat/completions',
          status: 429,
          code: 'too_many_requests',
          model: 'gpt-4o-mini',
          apiKeyId: 'k1',
          count: 10_001,
          firstAt: at(0).toISOString(),
          lastAt: at(59).toISOString(),
        },
      },
    ]);
    expect(tally.drain()).toEqual([]);
  });

  it('counts kinds apart: project, endpoint, status, code, model and key', () => {
    const tally = new RefusalTally();
    const kinds: Refusal[] = [
      limited,
      { ...limited, projectId: 'p2' },
      { ...limited, endpoint: 'POST /v1/messages' },
      { ...limited, status: 404, code: 'model_not_found' },
      { ...limited, model: null },
      { ...limited, apiKeyId: null },
    ];
    for (const kind of kinds) tally.add(kind, at(1));
    tally.add(limited, at(2));

    const drained = tally.drain();

    expect(drained.map((d) => d.data.count)).toEqual([2, 1, 1, 1, 1, 1]);
    expect(drained[1].projectId).toBe('p2');
  });

  it('past the cap of kinds a window holds, counts new models as unknown; a long model name is cut', () => {
    const tally = new RefusalTally();
    for (let i = 0; i < MAX_KINDS_PER_WINDOW + 500; i++) tally.add({ ...limited, model: `m-${i}` }, at(1));
    tally.add({ ...limited, model: 'x'.repeat(1000) }, at(1));

    const drained = tally.drain();

    expect(drained).toHaveLength(MAX_KINDS_PER_WINDOW + 1);
    expect(drained.find((d) => d.data.model === null)?.data.count).toBe(501);
    expect(drained.reduce((sum, d) => sum + d.data.count, 0)).toBe(MAX_KINDS_PER_WINDOW + 501);
    const cut = new RefusalTally();
    cut.add({ ...limited, model: 'x'.repeat(1000) }, at(1));
    expect(cut.drain()[0].data.model).toHaveLength(256);
  });
});
