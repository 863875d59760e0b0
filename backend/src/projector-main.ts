import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { parentPort } from 'node:worker_threads';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import type { ProjectorThreadMessage } from './projector/projector-thread';
import { RedactingLogger } from './security/redacting-logger';

/** Entry point of the projector's worker thread (see `ProjectorThread`): the projector role, no HTTP. */
async function projectorThread(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('projector-main runs on a worker thread started by ProjectorThread');
  const say = (message: ProjectorThreadMessage) => port.postMessage(message);
  try {
    const config = new AppConfig();
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      abortOnError: false,
      logger: new RedactingLogger({ logLevels: [...config.logLevels] }),
    });
    port.on('message', (message: { type: string }) => {
      // Ends this thread only; chDB and lmdb handles would otherwise keep it alive.
      if (message.type === 'stop') void app.close().finally(() => process.exit(0));
    });
    say({ type: 'ready' });
  } catch (error) {
    say({ type: 'failed', error: (error as Error).message });
    setImmediate(() => process.exit(1));
  }
}

void projectorThread();
