import { applyStages, type Stage } from './stages';

class Refusal extends Error {
  readonly type = 'refusal';
}
const isPoison = (error: unknown) => error instanceof Refusal;

/** A store that takes a block atomically unless it holds a refused value; remembers tokens. */
function store(name: string, refuses: (value: number) => boolean) {
  const blocks = new Map<string, readonly number[]>();
  const stage: Stage<number> = {
    name,
    apply: async ({ events, dedupToken }) => {
      if (events.some(refuses)) throw new Refusal(`${name} refuses ${events.filter(refuses).join(',')}`);
      if (!blocks.has(dedupToken)) blocks.set(dedupToken, events);
    },
  };
  const rows = () => [...blocks.values()].flat().sort((a, b) => a - b);
  return { stage, blocks, rows };
}

const batch = { events: [1, 2, 3, 4, 5, 6, 7, 8, 9], dedupToken: 'g:t:0:0-8' };

describe('applyStages: isolating the events a stage refuses', () => {
  it('given a batch with no refusal, when applied, then each stage takes it as one block under its token', async () => {
    const a = store('a', () => false);
    expect(await applyStages([a.stage], batch, isPoison)).toEqual([]);
    expect([...a.blocks.keys()]).toEqual([batch.dedupToken]);
  });

  it('given refused events, when applied, then exactly those are returned with the reason and the rest is taken', async () => {
    const a = store('a', (v) => v === 3 || v === 8);
    const refused = await applyStages([a.stage], batch, isPoison);
    expect(refused.map((r) => r.event)).toEqual([3, 8]);
    expect(refused[0]).toMatchObject({ reason: 'refused by a', message: 'a refuses 3' });
    expect(a.rows()).toEqual([1, 2, 4, 5, 6, 7, 9]);
  });

  it('given a stage that refuses an event, then later stages never see it; earlier ones keep it', async () => {
    const first = store('first', () => false);
    const second = store('second', (v) => v === 5);
    const third = store('third', () => false);
    await applyStages([first.stage, second.stage, third.stage], batch, isPoison);
    expect(first.rows()).toEqual(batch.events);
    expect(third.rows()).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
    expect([...third.blocks.keys()]).toEqual([batch.dedupToken]);
  });

  it('applying the same batch again (a retry after a crash) inserts the same blocks under the same tokens', async () => {
    const a = store('a', (v) => v % 4 === 0);
    await applyStages([a.stage], batch, isPoison);
    const firstRun = new Map(a.blocks);
    const refusedAgain = await applyStages([a.stage], batch, isPoison);
    expect(refusedAgain.map((r) => r.event)).toEqual([4, 8]);
    expect(a.blocks).toEqual(firstRun);
    expect(a.rows()).toEqual([1, 2, 3, 5, 6, 7, 9]);
  });

  it('given an error that is not a refusal (an outage), then it is thrown and nothing is isolated', async () => {
    const down: Stage<number> = {
      name: 'down',
      apply: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:8123');
      },
    };
    await expect(applyStages([down], batch, isPoison)).rejects.toThrow('ECONNREFUSED');
  });
});
