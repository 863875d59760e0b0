import type { NestExpressApplication } from '@nestjs/platform-express';
import { decodeEvent, type SightlineEvent } from '@sightline/schemas';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { createApp } from '../../src/create-app';
import { EventRecorder } from '../../src/eventlog/event-recorder';
import { createTestProject } from './accounts';

export interface GatewayApp {
  readonly app: NestExpressApplication;
  /** `http://127.0.0.1:<port>`, without `/v1`. */
  readonly base: string;
  /** A member key of a fresh project. */
  readonly apiKey: string;
}

/**
 * The whole app on loopback for gateway tests, on a fresh embedded data dir, with a project and its
 * key. Every event the app records (or ingests) is also pushed to `recorded`. `env` adds to or overrides the
 * defaults (no UI, quiet logs, no pacing of the mock model, no gateway rate limit in the way).
 */
export async function startGatewayApp(
  name: string,
  env: Record<string, string>,
  recorded: SightlineEvent[] = [],
): Promise<GatewayApp> {
  const app = await createApp(
    new AppConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), `sightline-${name}-`)),
      SIGHTLINE_UI_DIR: '',
      MOCK_TOKEN_INTERVAL_MS: '0',
      LOG_LEVEL: 'error',
      GATEWAY_RATE_LIMIT_RPS: '10000',
      ...env,
    }),
  );
  const { apiKey } = await createTestProject(app, name);
  const recorder = app.get(EventRecorder);
  const record = recorder.record.bind(recorder);
  jest.spyOn(recorder, 'record').mockImplementation((events) => {
    recorded.push(...events);
    return record(events);
  });
  // Ingestion encodes its items itself and appends the records.
  const append = recorder.append.bind(recorder);
  jest.spyOn(recorder, 'append').mockImplementation((records) => {
    recorded.push(...records.map((r) => decodeEvent(r.value)));
    return append(records);
  });
  await app.listen(0, '127.0.0.1');
  return { app, apiKey, base: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}
