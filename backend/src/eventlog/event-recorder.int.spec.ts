import { decodeEvent, EventValidationError, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generationEvents } from '../../test/support/events';
import { EventRecorder } from './event-recorder';
import { LmdbEventLog } from './lmdb/lmdb-event-log';
import { TOPICS, topicSpecs } from './topics';

describe('EventRecorder (embedded log)', () => {
  let dir: string;
  let log: LmdbEventLog;
  let recorder: EventRecorder;
  /** Records per append call. */
  const appends = (): number[] =>
    (log.append as jest.Mock<Promise<void>, [string, unknown[]]>).mock.calls.map(
      ([, records]) => records.length,
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sightline-recorder-'));
    log = LmdbEventLog.open(join(dir, 'eventlog'));
    await log.ensureTopics(topicSpecs(1));
    jest.spyOn(log, 'append');
    recorder = new EventRecorder(log);
  });

  afterEach(async () => {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function recorded(): Promise<SightlineEvent[]> {
    const [end] = await log.endOffsets(TOPICS.llm);
    return (await log.read(TOPICS.llm, 0, 0, end)).map((r) => decodeEvent(r.value));
  }

  it('appends nothing on the caller’s turn; what is recorded in one turn goes in one append, in order', async () => {
    const generations = Array.from({ length: 50 }, (_, i) =>
      generationEvents('p1', { output: `answer ${i}` }),
    );
    const settled = generations.flatMap(([requested, completed]) => [
      recorder.record([requested]),
      recorder.record([completed]),
    ]);
    expect(appends()).toEqual([]);
    await Promise.all(settled);
    expect(appends()).toEqual([100]);
    expect((await recorded()).map((e) => e.eventId)).toEqual(generations.flat().map((e) => e.eventId));
  });

  it('redacts before appending', async () => {
    const secret = `sk-proj-${'a1B2'.repeat(12)}`;
    await recorder.record(generationEvents('p1', { output: `the key is ${secret}` }));
    const [, completed] = await recorded();
    expect(JSON.stringify(completed)).not.toContain(secret);
    expect(JSON.stringify(completed)).toContain('sk-[REDACTED]');
  });

  it('logs and counts an invalid event instead of throwing, and records the others', async () => {
    const [requested, completed] = generationEvents('p1');
    const invalid = {
      ...completed,
      data: { ...completed.data, finishReason: 7 },
    } as unknown as SightlineEvent;
    await expect(recorder.record([requested, invalid])).resolves.toBeUndefined();
    await recorder.record([completed]);
    expect(recorder.refused).toBe(1);
    expect((await recorded()).map((e) => e.eventId)).toEqual([requested.eventId, completed.eventId]);
  });

  it('encode redacts and validates at once (throwing for an invalid event); append queues what it made', async () => {
    const secret = `sk-proj-${'a1B2'.repeat(12)}`;
    const [requested, completed] = generationEvents('p1', { output: `the key is ${secret}` });
    const invalid = {
      ...completed,
      data: { ...completed.data, finishReason: 7 },
    } as unknown as SightlineEvent;

    expect(() => recorder.encode(invalid)).toThrow(EventValidationError);
    const records = [recorder.encode(requested), recorder.encode(completed)];
    expect(appends()).toEqual([]);
    await recorder.append(records);

    const events = await recorded();
    expect(events.map((e) => e.eventId)).toEqual([requested.eventId, completed.eventId]);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(recorder.refused).toBe(0);
  });

  it('hands each batch to its listeners before appending it, as recorded (redacted); a listener that throws stops nothing', async () => {
    const secret = `sk-proj-${'a1B2'.repeat(12)}`;
    const seen: { events: SightlineEvent[]; appendsBefore: number }[] = [];
    recorder.onAppending(() => {
      throw new Error('listener broke');
    });
    const stop = recorder.onAppending((records) => {
      seen.push({ events: records.map((r) => r.event), appendsBefore: appends().length });
      records.forEach((r) => expect(decodeEvent(r.value)).toEqual(JSON.parse(JSON.stringify(r.event))));
    });
    const events = generationEvents('p1', { output: `the key is ${secret}` });
    await recorder.record(events);

    expect(seen.map((s) => s.appendsBefore)).toEqual([0]);
    expect(seen[0].events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(JSON.stringify(seen[0].events)).toContain('sk-[REDACTED]');
    expect(JSON.stringify(seen[0].events)).not.toContain(secret);
    expect(await recorded()).toHaveLength(2);

    stop();
    await recorder.record(generationEvents('p1'));
    expect(seen).toHaveLength(1);
  });

  it('flush waits for what was recorded later, during a drain', async () => {
    void recorder.record(generationEvents('p1'));
    const flushed = recorder.flush();
    void recorder.record(generationEvents('p1'));
    await flushed;
    expect(await recorded()).toHaveLength(4);
  });
});
