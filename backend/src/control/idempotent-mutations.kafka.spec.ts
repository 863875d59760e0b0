import { randomBytes } from 'node:crypto';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { Clock } from '../common/clock';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';
import { SecretBox } from '../security/secret-box';
import { controlEvent, SYSTEM } from './control-events';
import { ControlPlane } from './control-plane';
import type { ControlState } from './control-state';
import { IdempotencyKeyReusedError, onceRequest } from './idempotency';
import { Idempotency } from './idempotent-mutations';

/** Two backend processes' control planes on one Kafka topic (and one master key, as deployed). */
describe('idempotency keys across instances sharing Kafka', () => {
  const brokers = kafkaBrokersForTests().split(',');
  const topic = `control-idem-${randomBytes(4).toString('hex')}`;
  const box = new SecretBox(randomBytes(32));
  const logs: KafkaEventLog[] = [];
  const planes: ControlPlane[] = [];

  async function instance(): Promise<{ control: ControlPlane; idempotency: Idempotency }> {
    const log = new KafkaEventLog({ brokers, clientId: `idem-spec-${logs.length}` });
    logs.push(log);
    await log.ensureTopics([{ name: topic, partitions: 1, compacted: true }]);
    const control = new ControlPlane(log, topic);
    await control.onModuleInit();
    planes.push(control);
    return { control, idempotency: new Idempotency(control, box, new Clock()) };
  }

  afterAll(async () => {
    await Promise.all(planes.map((p) => p.onModuleDestroy()));
    await Promise.all(logs.map((l) => l.close()));
  });

  const request = (key: string, input: unknown = { name: 'Acme' }) =>
    onceRequest({ userId: 'u1', via: 'session' }, 'p1', 'createOrganization', key, input);

  /** Creates an organization; its result holds a "secret" that only the first call knows. */
  const createOrg = (name: string, secret: string) => (state: ControlState) => {
    const organizationId = `org_${randomBytes(6).toString('hex')}`;
    const event = controlEvent(SYSTEM, new Date(), {
      type: 'organization.created',
      entityKey: `organization:${organizationId}`,
      projectId: null,
      data: { organizationId, name, createdAt: new Date().toISOString() },
    });
    return { events: [event], result: { organizationId, secret, before: state.organizations.size } };
  };
  const named = (control: ControlPlane, name: string) =>
    control.current.organizations.filter((o) => o.name === name).size;

  it('given a decision made on one instance, when the other retries it with the key, then it gets the first result and appends nothing', async () => {
    const [one, two] = [await instance(), await instance()];
    const name = `org-${randomBytes(3).toString('hex')}`;
    const first = await one.idempotency.execute(request('k-exec', { name }), createOrg(name, 'shown-once'));
    const retried = await two.idempotency.execute(request('k-exec', { name }), createOrg(name, 'other'));

    expect(retried).toEqual(first);
    expect(retried.secret).toBe('shown-once');
    expect(named(two.control, name)).toBe(1);
    await expect(
      two.idempotency.execute(request('k-exec', { name: 'else' }), createOrg('else', 'x')),
    ).rejects.toThrow(IdempotencyKeyReusedError);
  }, 60_000);

  it('given the same key on two instances at once, when both run work outside the control plane, then it runs once and both get its result', async () => {
    const [one, two] = [await instance(), await instance()];
    let calls = 0;
    const work = (who: string) => async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 300)); // a provider call in flight
      return { who, answer: 42 };
    };
    const [a, b] = await Promise.all([
      one.idempotency.run(request('k-run'), work('one')),
      two.idempotency.run(request('k-run'), work('two')),
    ]);

    expect(calls).toBe(1);
    expect(a).toEqual(b);
    expect(two.control.current.idempotency.first()).toBeDefined();
  }, 60_000);

  it('given work that failed, when it is retried with its key, then it runs again (the key was released)', async () => {
    const { idempotency } = await instance();
    let calls = 0;
    const failing = async () => {
      calls++;
      throw new Error('provider down');
    };
    await expect(idempotency.run(request('k-fail'), failing)).rejects.toThrow('provider down');
    await expect(idempotency.run(request('k-fail'), async () => ++calls)).resolves.toBe(2);
    await expect(idempotency.run(request('k-fail'), async () => ++calls)).resolves.toBe(2);
  }, 60_000);

  it('given a recorded result, when a new instance starts (a restart), then the retry is answered from the topic', async () => {
    const { idempotency } = await instance();
    await idempotency.run(request('k-restart'), async () => ({ replay: 'gen_1' }));

    const restarted = await instance();
    let ran = false;
    const again = await restarted.idempotency.run(request('k-restart'), async () => {
      ran = true;
      return { replay: 'gen_2' };
    });
    expect(again).toEqual({ replay: 'gen_1' });
    expect(ran).toBe(false);
  }, 60_000);
});
