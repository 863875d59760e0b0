import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ProjectRedaction } from '../redaction/project-redaction';
import { EventLog } from './event-log';
import { EventRecorder } from './event-recorder';
import { KafkaEventLog } from './kafka/kafka-event-log';
import { LmdbEventLog } from './lmdb/lmdb-event-log';
import { Outbox } from './outbox';
import { TOPICS, topicSpecs } from './topics';

async function openEventLog(config: AppConfig): Promise<EventLog> {
  const log = config.kafkaBrokers
    ? new KafkaEventLog({ brokers: [...config.kafkaBrokers], clientId: 'sightline' })
    : LmdbEventLog.open(config.eventLogDir);
  await log.ensureTopics(topicSpecs(config.llmPartitions));
  return log;
}

@Global()
@Module({
  providers: [
    { provide: EventLog, inject: [AppConfig], useFactory: openEventLog },
    {
      provide: EventRecorder,
      // Without the API role (a projector alone) nothing records, and there are no project rules.
      inject: [EventLog, AppConfig, { token: ProjectRedaction, optional: true }],
      useFactory: (log: EventLog, config: AppConfig, redaction?: ProjectRedaction) =>
        new EventRecorder(
          log,
          redaction ? (event) => redaction.event(event) : undefined,
          config.kafkaBrokers ? Outbox.open(join(config.dataDir, 'outbox'), log, TOPICS.llm) : undefined,
        ),
    },
  ],
  exports: [EventLog, EventRecorder],
})
export class EventLogModule implements OnApplicationShutdown {
  constructor(
    @Inject(EventLog) private readonly log: EventLog,
    @Inject(EventRecorder) private readonly recorder: EventRecorder,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.recorder.flush();
    await this.log.close();
  }
}
