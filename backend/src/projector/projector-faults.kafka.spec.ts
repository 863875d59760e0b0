import { runProjectorFaults } from '../../test/support/projector-faults';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { SOURCES } from '../../test/support/sightline-child';

// The short version of load-tests' `fault-projector` scenario, on the real Kafka broker.
describe('effectively-once projection under SIGKILL (Kafka, projector process)', () => {
  it('every total equals the totals of the events in the log after the projector was killed mid-batch', async () => {
    const report = await runProjectorFaults({
      log: { kind: 'kafka', brokers: kafkaBrokersForTests() },
      kills: 3,
      entry: SOURCES,
    });
    expect(report.events).toBeGreaterThan(0);
    expect(report.gatewayCalls).toBeGreaterThan(0);
    expect(report.ingestedItems).toBeGreaterThan(0);
    console.log(report);
    expect(report.mismatches).toEqual([]);
  }, 360_000); // a loaded machine takes several times as long as a quiet one
});
