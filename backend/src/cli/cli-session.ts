import type { ClickHouse } from '../clickhouse/clickhouse';
import { openClickHouse } from '../clickhouse/migrator';
import { chdbHolder } from './chdb-lock';
import { AppConfig } from '../config/app-config';
import { ControlPlane } from '../control/control-plane';
import type { EventLog } from '../eventlog/event-log';
import { KafkaEventLog } from '../eventlog/kafka/kafka-event-log';
import { LmdbEventLog } from '../eventlog/lmdb/lmdb-event-log';
import { topicSpecs } from '../eventlog/topics';

/** What an operator's command (`npm run restate`, `npm run rebuild`) works with, opened as the server opens it. */
export interface CliSession {
  readonly config: AppConfig;
  readonly log: EventLog;
  readonly ch: ClickHouse;
  /** Caught up with the control topic. */
  readonly control: ControlPlane;
}

/** The embedded database is held by another process (a running server): this command cannot open it. */
export class EmbeddedDatabaseBusyError extends Error {
  override readonly name = 'EmbeddedDatabaseBusyError';
}

/**
 * Opens the log, ClickHouse (migrated) and the control state from the server's environment, runs
 * `work` and closes them whatever happens. Embedded mode: the server must be stopped (one process
 * owns a chDB folder); when it is not, throws {@link EmbeddedDatabaseBusyError} ending with
 * `instead`, what to do rather than stopping it.
 */
export async function withCliSession<R>(
  clientId: string,
  work: (session: CliSession) => Promise<R>,
  instead = '',
): Promise<R> {
  const config = new AppConfig();
  const log = config.kafkaBrokers
    ? new KafkaEventLog({ brokers: [...config.kafkaBrokers], clientId, logLevel: 1 })
    : LmdbEventLog.open(config.eventLogDir);
  let ch: ClickHouse | undefined;
  const control = new ControlPlane(log);
  try {
    const holder = config.clickhouseUrl ? undefined : chdbHolder(config.dataDir);
    if (holder !== undefined)
      throw new EmbeddedDatabaseBusyError(
        `The embedded database in ${config.dataDir} is in use by process ${holder}, most likely the ` +
          `running Sightline server (one process owns a chDB folder).${instead ? ` ${instead}` : ''} ` +
          `Or stop the server and run this command again.`,
      );
    await log.ensureTopics(topicSpecs(config.llmPartitions));
    ({ ch } = await openClickHouse({
      url: config.clickhouseUrl,
      database: config.clickhouseDatabase,
      username: config.clickhouseUser,
      password: config.clickhousePassword,
      dataDir: config.dataDir,
    }));
    await control.onModuleInit();
    return await work({ config, log, ch, control });
  } finally {
    await control.onModuleDestroy();
    await log.close();
    await ch?.close();
  }
}
