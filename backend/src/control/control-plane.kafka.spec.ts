import { propagation } from '../../test/support/control-plane.suite';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';

propagation('Kafka, two clients', async () => {
  const brokers = kafkaBrokersForTests().split(',');
  return [
    new KafkaEventLog({ brokers, clientId: 'control-spec-1' }),
    new KafkaEventLog({ brokers, clientId: 'control-spec-2' }),
  ];
});
