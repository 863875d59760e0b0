import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ClickHouse } from './clickhouse';
import { openClickHouse } from './migrator';

async function connectAndMigrate(config: AppConfig): Promise<ClickHouse> {
  const { ch, ran } = await openClickHouse({
    url: config.clickhouseUrl,
    database: config.clickhouseDatabase,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    dataDir: config.dataDir,
  });
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
