import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';
import { serveUi } from './ui/serve-ui';

/** The whole application for `config`, ready to listen; tests call it too. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // The gateway reads its own bodies (size caps, OpenAI-shaped errors); only GraphQL uses the JSON parser.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: [...config.logLevels],
  });
  app.use('/graphql', express.json({ limit: '1mb' }));
  app.use('/auth', express.json({ limit: '16kb' }));
  app.enableShutdownHooks();
  await app.init();
  serveUi(app.getHttpAdapter().getInstance(), config.uiDir);
  return app;
}
