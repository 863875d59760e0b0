import { races } from '../../test/support/control-races.suite';
import { kafkaBrokersForTests } from '../../test/support/kafka-brokers';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';

races('Kafka, two clients', async () => {
  const brokers = kafkaBrokersForTests().split(',');
  return [
    new KafkaEventLog({ brokers, clientId: 'control-race-1' }),
    new KafkaEventLog({ brokers, clientId: 'control-race-2' }),
  ];
});
