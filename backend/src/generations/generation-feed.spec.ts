import {
  newEventId,
  type ChoiceDelta,
  type GenerationProgressed,
  type GenerationRequested,
  type LiveEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import { generationEvents } from '../../test/support/events';
import { EVERYTHING } from '../live/live-filter';
import type { LiveHub, LiveListener } from '../live/live-hub';
import { GenerationFeed } from './generation-feed';
import type { GenerationView } from './generation.view';
import type { LiveUpdate } from './live-subscriber';

/** `subscribe` without a missed notice gives only generations. */
type Ended = AsyncIterator<GenerationView>;

/** A feed on a hub the test drives. */
function feedOnHub() {
  let listener: LiveListener = () => undefined;
  const hub = { listen: (l: LiveListener) => ((listener = l), () => undefined) } as unknown as LiveHub;
  const feed = new GenerationFeed(hub);
  feed.onModuleInit();
  return { feed, given: (...events: (SightlineEvent | LiveEvent)[]) => listener(events) };
}

const [requested, completed] = generationEvents('p-feed', { output: 'Once upon a time there was' });
const request = {
  ...(requested as GenerationRequested),
  data: { ...(requested as GenerationRequested).data, stream: true },
};

function progress(seq: number, content: string, outputTokens = seq * 2): GenerationProgressed {
  const choices: ChoiceDelta[] = [{ index: 0, content }];
  return {
    ...request,
    eventId: newEventId(),
    type: 'generation.progressed',
    version: 1,
    data: {
      seq,
      elapsedMs: 100 * seq + 50,
      timeToFirstTokenMs: 50,
      outputTokens,
      outputTokensSource: 'estimated',
      choices,
    },
  };
}

/** A client of `queue`: `drain` gives what arrived so far; a read left waiting is kept for the next drain. */
function client<T = LiveUpdate>(queue: AsyncIterator<T>) {
  let pending: Promise<IteratorResult<T>> | undefined;
  return async function drain(): Promise<T[]> {
    const out: T[] = [];
    for (;;) {
      pending ??= queue.next();
      const next = await Promise.race([pending, new Promise<null>((r) => setImmediate(() => r(null)))]);
      if (!next) return out;
      pending = undefined;
      if (next.done) return out;
      out.push(next.value);
    }
  };
}

const describeUpdate = (u: LiveUpdate) =>
  u.generation
    ? [u.generation.status, u.generation.output]
    : ['progress', u.progress!.choices.map((c) => c.content).join(''), u.progress!.outputTokens];

describe('GenerationFeed, live', () => {
  it('given a request, then progress, then the end: in flight at once, the new text, then the final row', async () => {
    const { feed, given } = feedOnHub();
    const live = client(feed.subscribeLive('p-feed', () => true));
    given(request);
    expect((await live()).map(describeUpdate)).toEqual([['IN_FLIGHT', null]]);
    given(progress(1, 'Once upon '));
    const [update] = await live();
    expect(describeUpdate(update)).toEqual(['progress', 'Once upon ', 2]);
    expect(update.progress).toMatchObject({ id: request.spanId, elapsedMs: 150, timeToFirstTokenMs: 50 });
    expect(update.progress!.outputTokensPerSecond).toBeCloseTo(20);
    given(completed);
    expect((await live()).map(describeUpdate)).toEqual([['COMPLETED', 'Once upon a time there was']]);
  });

  it('given a subscriber that does not read meanwhile, coalesces its updates: fewer, larger, no gap', async () => {
    const { feed, given } = feedOnHub();
    const live = feed.subscribeLive('p-feed', () => true);
    given(request, progress(1, 'Once '), progress(2, 'upon '));
    expect(describeUpdate((await live.next()).value as LiveUpdate)).toEqual(['IN_FLIGHT', 'Once upon ']);
    given(progress(3, 'a '), progress(4, 'time '));
    expect(describeUpdate((await live.next()).value as LiveUpdate)).toEqual(['progress', 'a time ', 8]);
  });

  it('given progress before its request (the topics are not ordered), shows it with the request', async () => {
    const { feed, given } = feedOnHub();
    const live = client(feed.subscribeLive('p-feed', () => true));
    given(progress(1, 'Once '));
    expect(await live()).toEqual([]);
    given(request);
    expect((await live()).map(describeUpdate)).toEqual([['IN_FLIGHT', 'Once ']]);
  });

  it('ignores a repeated progress event and progress that comes after the end', async () => {
    const { feed, given } = feedOnHub();
    const live = client(feed.subscribeLive('p-feed', () => true));
    given(request, progress(1, 'Once '));
    await live();
    given(progress(1, 'Once '), progress(2, 'upon '), progress(2, 'upon '));
    expect((await live()).map(describeUpdate)).toEqual([['progress', 'upon ', 4]]);
    given(completed, progress(3, 'late '));
    expect((await live()).map(describeUpdate)).toEqual([['COMPLETED', 'Once upon a time there was']]);
  });

  it('gives a subscriber that joins mid-stream the generation with its output so far; other projects see nothing', async () => {
    const { feed, given } = feedOnHub();
    given(request, progress(1, 'Once '), progress(2, 'upon '));
    const late = client(feed.subscribeLive('p-feed', () => true));
    const other = client(feed.subscribeLive('p-other', () => true));
    expect((await late()).map(describeUpdate)).toEqual([['IN_FLIGHT', 'Once upon ']]);
    given(completed);
    expect(await other()).toEqual([]);
  });

  it('ends a subscription whose caller is no longer allowed', async () => {
    const { feed, given } = feedOnHub();
    let allowed = true;
    const live = feed.subscribeLive('p-feed', () => allowed);
    allowed = false;
    given(request);
    await expect(live.next()).resolves.toEqual({ value: undefined, done: true });
  });
});

describe('GenerationFeed, selections', () => {
  /** A finished generation of model `model` in trace `traceId`. */
  function ended(model: string, traceId = newEventId()): SightlineEvent[] {
    return generationEvents('p-feed', { model }).map((e) => ({ ...e, traceId }));
  }

  it('given a filter: in flight by its request, then the final rows that match', async () => {
    const { feed, given } = feedOnHub();
    const live = client(
      feed.subscribeLive('p-feed', () => true, { ...EVERYTHING, filter: { models: ['mock-1'] } }),
    );
    const recorded = feed.subscribe('p-feed', () => true, { ...EVERYTHING, filter: { models: ['gpt'] } });
    given(request, ...ended('gpt'));
    expect((await live()).map(describeUpdate)).toEqual([['IN_FLIGHT', null]]);
    given(completed);
    expect((await live()).map(describeUpdate)).toEqual([['COMPLETED', 'Once upon a time there was']]);
    expect((await recorded.next()).value).toMatchObject({ model: 'gpt' });
  });

  it('given an outcome filter, a generation shown in flight still gets its final row', async () => {
    const { feed, given } = feedOnHub();
    const failedOnly = { ...EVERYTHING, filter: { hasError: true } };
    const live = client(feed.subscribeLive('p-feed', () => true, failedOnly));
    given(request);
    expect((await live()).map(describeUpdate)).toEqual([['IN_FLIGHT', null]]);
    given(completed, ...ended('other'));
    // Its own end (it was shown), not the other completed one (never shown, not failed).
    expect((await live()).map(describeUpdate)).toEqual([['COMPLETED', 'Once upon a time there was']]);
  });

  it('given a traceId: that trace only', async () => {
    const { feed, given } = feedOnHub();
    const recorded = client(
      feed.subscribe('p-feed', () => true, { ...EVERYTHING, traceId: 'the-trace' }) as Ended,
    );
    given(...ended('a'), ...ended('b', 'the-trace'), ...ended('c'));
    expect((await recorded()).map((v) => v.model)).toEqual(['b']);
  });

  it('given a sample rate, keeps about that share of traces, all of a trace or none', async () => {
    const { feed, given } = feedOnHub();
    const tenth = client(feed.subscribe('p-feed', () => true, { ...EVERYTHING, sampleRate: 0.1 }) as Ended);
    const events = Array.from({ length: 400 }, (_, i) => [...ended('m', `t${i % 200}`)]).flat();
    given(...events);
    const seen = await tenth();
    const traces = new Map<string, number>();
    seen.forEach((v) => traces.set(v.traceId, (traces.get(v.traceId) ?? 0) + 1));
    expect(traces.size).toBeGreaterThan(8);
    expect(traces.size).toBeLessThan(35);
    expect([...traces.values()].every((n) => n === 2)).toBe(true);
  });

  it('given one burst of 1,000 generations (one ingest batch), a subscriber that reads gets every one', async () => {
    const { feed, given } = feedOnHub();
    const live = client(feed.subscribeLive('p-feed', () => true));
    const recorded = client(feed.subscribe('p-feed', () => true));
    given(...Array.from({ length: 1000 }, () => ended('m')).flat());
    const updates = await live();
    expect(updates).toHaveLength(1000);
    expect(updates.every((u) => u.missed === 0 && u.generation?.status === 'COMPLETED')).toBe(true);
    expect(await recorded()).toHaveLength(1000);
  });

  it('given a subscriber that leaves more than its buffer pending while later changes arrive, tells it how many it missed', async () => {
    const { feed, given } = feedOnHub();
    const live = feed.subscribeLive('p-feed', () => true);
    const recorded = feed.subscribe(
      'p-feed',
      () => true,
      EVERYTHING,
      (missed) => new Error(`missed ${missed}`),
    );
    given(...Array.from({ length: 520 }, () => ended('m')).flat());
    await new Promise((resolve) => setImmediate(resolve)); // a turn it did not read in
    given(...ended('m'));
    const first = (await live.next()).value as LiveUpdate;
    expect(first.missed).toBe(20);
    expect(((await live.next()).value as LiveUpdate).missed).toBe(0);
    expect(((await recorded.next()).value as Error).message).toBe('missed 20');
    let rest = 0;
    while (
      ((await Promise.race([recorded.next(), Promise.resolve(null)])) as IteratorResult<unknown> | null)
        ?.value
    )
      rest++;
    expect(rest).toBe(501);
  });
});
