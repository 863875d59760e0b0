import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLICKHOUSE_MIGRATIONS_DIR } from '@sightline/schemas';
import { AppConfig } from '../config/app-config';
import { ClickHouse } from './clickhouse';
import { loadMigrations, migrate } from './migrator';

async function connectAndMigrate(config: AppConfig): Promise<ClickHouse> {
  const ch = ClickHouse.connect({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    dataDir: config.dataDir,
  });
  const ran = await migrate(ch, loadMigrations(CLICKHOUSE_MIGRATIONS_DIR));
  if (ran.length) {
    new Logger('ClickHouse').log(`applied migrations ${ran.map((m) => `${m.version}_${m.name}`).join(', ')}`);
  }
  return ch;
}

@Global()
@Module({
  providers: [{ provide: ClickHouse, inject: [AppConfig], useFactory: connectAndMigrate }],
  exports: [ClickHouse],
})
export class ClickHouseModule implements OnApplicationShutdown {
  constructor(@Inject(ClickHouse) private readonly ch: ClickHouse) {}

  async onApplicationShutdown(): Promise<void> {
    await this.ch.close();
  }
}
