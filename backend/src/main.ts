import { Logger } from '@nestjs/common';
import { AppConfig } from './config/app-config';
import { createApp } from './create-app';

async function main(): Promise<void> {
  // The projector gets its own thread unless PROJECTOR_THREAD=0 (tests that build the app keep it inline).
  const config = new AppConfig({ PROJECTOR_THREAD: '1', ...process.env });
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  const where = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const mode = config.embedded
    ? `embedded (data in ${config.dataDir})`
    : `distributed (Kafka ${config.kafkaBrokers?.join(',')})`;
  new Logger('Sightline').log(`listening on ${where} — ${mode}`);
  new Logger('Sightline').log(`UI ${where}/ · gateway ${where}/v1 · GraphQL ${where}/graphql`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
