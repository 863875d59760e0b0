import type { ClickHouse } from '../clickhouse/clickhouse';
import type { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { EventLog } from '../eventlog/event-log';
import { TOPICS } from '../eventlog/topics';
import { SpendHistory } from './spend-history';

/** A log whose projector commits `steps` in turn (the last one stays), and a clock that moves 25 ms a sleep. */
function given(ends: number[], steps: number[][], suffix?: string) {
  const asked: string[] = [];
  let step = 0;
  const log = {
    endOffsets: async (topic: string) => (topic === TOPICS.llm ? ends : []),
    committedOffsets: async (group: string, topic: string) => {
      asked.push(`${group} ${topic}`);
      return steps[Math.min(step++, steps.length - 1)];
    },
  } as unknown as EventLog;
  let now = 0;
  const clock = {
    monotonicMs: () => now,
    sleep: async (ms: number) => void (now += ms),
  } as unknown as Clock;
  const config = new AppConfig(suffix ? { PROJECTOR_GROUP_SUFFIX: suffix } : {});
  return { history: new SpendHistory({} as ClickHouse, log, config, clock), asked };
}

describe('spend history waits for the projector', () => {
  it('given the projector behind, then polls its committed offsets until every partition reached the end', async () => {
    const { history, asked } = given(
      [4, 2],
      [
        [1, 0],
        [3, 2],
        [4, 2],
      ],
    );
    await expect(history.projected()).resolves.toBe(true);
    expect(asked).toEqual(Array(3).fill(`sightline-projector ${TOPICS.llm}`));
  });

  it('given it caught up, then answers at once; a suffixed projector is the one asked', async () => {
    const { history, asked } = given([4, 2], [[5, 2]], 'blue');
    await expect(history.projected()).resolves.toBe(true);
    expect(asked).toEqual([`sightline-projector-blue ${TOPICS.llm}`]);
  });

  it('given a projector that never catches up, then gives up after the wait it was given', async () => {
    const { history, asked } = given([4], [[1]]);
    await expect(history.projected(100)).resolves.toBe(false);
    expect(asked.length).toBe(5); // at 0, 25, 50, 75 and 100 ms
  });
});
