import {
  encodeLiveEventAsLogged,
  newEventId,
  type GenerationProgressed,
  type LiveEvent,
  type SightlineEvent,
} from '@sightline/schemas';
import type { EventLog } from '../../src/eventlog/event-log';
import { EventRecorder } from '../../src/eventlog/event-recorder';
import type { Outbox } from '../../src/eventlog/outbox';
import { TOPICS } from '../../src/eventlog/topics';
import { LiveHub } from '../../src/live/live-hub';
import { eventually, generationEvents } from './events';

export interface LiveHubWorld {
  /** A process's own connection to the shared log (Kafka, or the embedded log's folder). */
  openLog(): Promise<EventLog>;
  /** The recorder's outbox in front of `log`, where the log needs one (Kafka). */
  outbox?(log: EventLog, name: string): Outbox;
}

type Event = SightlineEvent | LiveEvent;

/** One generation's events, all under `traceId` (one key, so one partition: read back in order). */
function generation(projectId: string, traceId: string, output: string): [SightlineEvent, SightlineEvent] {
  const [requested, completed] = generationEvents(projectId, { output });
  return [
    { ...requested, traceId },
    { ...completed, traceId },
  ];
}

function progress(of: SightlineEvent, seq: number): GenerationProgressed {
  return {
    projectId: of.projectId,
    traceId: of.traceId,
    spanId: of.spanId,
    source: 'gateway',
    eventId: newEventId(),
    occurredAt: new Date().toISOString(),
    type: 'generation.progressed',
    version: 1,
    data: {
      seq,
      elapsedMs: 100 * seq,
      timeToFirstTokenMs: 50,
      outputTokens: seq,
      outputTokensSource: 'estimated',
      choices: [{ index: 0, content: `part ${seq} ` }],
    },
  };
}

/**
 * The live hub of one process ("here") and the appends of another ("elsewhere") on one shared log:
 * what here records reaches here's listeners in-process, what elsewhere appends through the tail,
 * every event of both topics exactly once.
 */
export function liveHubSuite(mode: string, world: LiveHubWorld): void {
  describe(`LiveHub on ${mode}`, () => {
    const projectId = `p-live-hub-${newEventId()}`;
    const closers: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const close of closers.reverse()) await close();
    });

    async function processOn(name: string) {
      const log = await world.openLog();
      const outbox = world.outbox?.(log, name);
      const recorder = new EventRecorder(log, undefined, outbox);
      closers.push(async () => {
        await recorder.flush();
        await outbox?.close();
        await log.close();
      });
      return { log, recorder };
    }

    it('delivers this process’s events in-process and another’s from the log, each once, on both topics', async () => {
      const here = await processOn('here');
      const elsewhere = await processOn('elsewhere');
      const hub = new LiveHub(here.log, here.recorder);
      await hub.onApplicationBootstrap();
      closers.push(() => hub.onModuleDestroy());
      const seen: Event[] = [];
      hub.listen((events) => seen.push(...events.filter((e) => e.projectId === projectId)));
      const recordedHere = new Set<Event>();
      here.recorder.onAppending((records) => records.forEach((r) => recordedHere.add(r.event)));
      const traceId = `trace-${newEventId()}`;

      const mine = generation(projectId, traceId, 'from here');
      const theirs = generation(projectId, traceId, 'from elsewhere');
      const myProgress = encodeLiveEventAsLogged(progress(mine[0], 1));
      const theirProgress = progress(theirs[0], 1);
      await here.recorder.record(mine);
      hub.local(TOPICS.live, [{ key: traceId, ...myProgress }]);
      await here.log.append(TOPICS.live, [{ key: traceId, value: myProgress.value }]);
      await elsewhere.recorder.record(theirs);
      await elsewhere.log.append(TOPICS.live, [
        { key: traceId, value: encodeLiveEventAsLogged(theirProgress).value },
      ]);
      // Markers appended elsewhere after everything above, under the same key: once the tail has
      // read them, it has read back this process's records too, and skipped them.
      await here.recorder.flush();
      const markers = generation(projectId, traceId, 'marker');
      const liveMarker = progress(theirs[0], 2);
      await elsewhere.recorder.record(markers);
      await elsewhere.log.append(TOPICS.live, [
        { key: traceId, value: encodeLiveEventAsLogged(liveMarker).value },
      ]);
      await elsewhere.recorder.flush();
      const expected = [...mine, myProgress.event, ...theirs, theirProgress, ...markers, liveMarker];
      await eventually(
        async () => seen.length,
        (n) => n >= expected.length,
      );
      await new Promise((r) => setTimeout(r, 300)); // room for a late duplicate

      const ids = seen.map((e) => e.eventId);
      expect([...ids].sort()).toEqual(expected.map((e) => e.eventId).sort());
      const delivered = new Map(seen.map((e) => [e.eventId, e]));
      // In-process: the very objects recorded here (the tail would have decoded copies).
      expect(mine.every((e) => recordedHere.has(delivered.get(e.eventId)!))).toBe(true);
      expect(delivered.get(myProgress.event.eventId)).toBe(myProgress.event);
      expect(delivered.get(theirs[1].eventId)).toEqual(JSON.parse(JSON.stringify(theirs[1])));
      expect(delivered.get(theirProgress.eventId)).toEqual(JSON.parse(JSON.stringify(theirProgress)));
    }, 60_000);
  });
}
