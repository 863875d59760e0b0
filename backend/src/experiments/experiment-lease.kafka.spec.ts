import type { ExperimentState } from '@sightline/schemas';
import { randomBytes } from 'node:crypto';
import { eventually } from '../../test/support/events';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { controlEvent, SYSTEM } from '../control/control-events';
import { ControlPlane } from '../control/control-plane';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';
import { claimRun, RUN_LEASE_MS } from './experiments.service';

/** Two backend processes' control planes on one Kafka topic, both wanting to run one experiment. */
describe('an experiment run by one of two instances sharing Kafka', () => {
  const brokers = kafkaBrokersForTests().split(',');
  const topic = `control-lease-${randomBytes(4).toString('hex')}`;
  const logs = [1, 2].map((n) => new KafkaEventLog({ brokers, clientId: `lease-spec-${n}` }));
  let planes: ControlPlane[];

  beforeAll(async () => {
    await logs[0].ensureTopics([{ name: topic, partitions: 1, compacted: true }]);
    planes = logs.map((log) => new ControlPlane(log, topic));
    await Promise.all(planes.map((p) => p.onModuleInit()));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(planes.map((p) => p.onModuleDestroy()));
    await Promise.all(logs.map((l) => l.close()));
  });

  const running = (experimentId: string): ExperimentState => ({
    experimentId,
    projectId: 'p1',
    name: 'Try mini',
    idempotencyKey: experimentId,
    filter: {},
    sample: { kind: 'all' },
    configurations: [{ configurationId: 'c1', model: 'mock-1' }],
    concurrency: 2,
    budgetUsd: '5',
    estimateUsd: '1',
    items: 10,
    status: 'running',
    error: null,
    startedAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    finishedAt: null,
    createdBy: null,
  });
  const start = async (experimentId: string) => {
    const data = running(experimentId);
    const entityKey = `experiment:${experimentId}`;
    await planes[0].append([
      controlEvent(SYSTEM, new Date(), { type: 'experiment.started', entityKey, projectId: 'p1', data }),
    ]);
    await eventually(async () => planes.every((p) => p.current.experiments.has(experimentId)), Boolean);
  };

  it('given a running experiment, when both instances claim its run at once, then exactly one runs it', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `exp_${randomBytes(4).toString('hex')}`;
      await start(id);
      const now = new Date();
      const won = await Promise.all(
        planes.map((plane, i) =>
          claimRun(plane, { experimentId: id, runnerId: `r${i}`, now, leaseMs: RUN_LEASE_MS }),
        ),
      );
      expect(won.filter(Boolean)).toHaveLength(1);
      const holder = `r${won.indexOf(true)}`;
      await eventually(
        async () => planes.map((p) => p.current.experimentLeases.get(id)?.runnerId),
        (holders) => holders.every((h) => h === holder),
      );
    }
  }, 120_000);

  it('given one instance runs it, the other takes over only once it lets go (stopped) or its lease lapsed', async () => {
    const id = `exp_${randomBytes(4).toString('hex')}`;
    await start(id);
    const now = new Date();
    const claim = (i: number, at: Date, leaseMs = RUN_LEASE_MS) =>
      claimRun(planes[i], { experimentId: id, runnerId: `r${i}`, now: at, leaseMs });

    expect(await claim(0, now)).toBe(true);
    expect(await claim(1, now)).toBe(false);
    expect(await claim(1, new Date(now.getTime() + RUN_LEASE_MS + 1))).toBe(true); // lapsed: taken over
    expect(await claim(0, new Date(now.getTime() + RUN_LEASE_MS + 2))).toBe(false); // the old holder stops
    expect(await claim(1, new Date(now.getTime() + RUN_LEASE_MS + 3), 0)).toBe(true); // lets go
    const released = new Date(now.getTime() + RUN_LEASE_MS + 3).toISOString();
    await eventually(
      async () => planes[0].current.experimentLeases.get(id)?.expiresAt,
      (at) => at === released,
    );
    expect(await claim(0, new Date(now.getTime() + RUN_LEASE_MS + 4))).toBe(true);
  }, 60_000);
});
