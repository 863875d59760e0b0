import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { jsonBody } from './common/json-body';
import { apiRateLimit } from './graphql/api-rate-limit';
import { graphqlExplorer } from './graphql/explorer/explorer-page';
import { CallerResolver } from './auth/caller';
import type { AppConfig } from './config/app-config';
import { uiScriptHashes } from './security/inline-script-hashes';
import { securityHeaderSetter, securityHeaders } from './security/security-headers';
import { DirectRoutes } from './http/direct-routes';
import { RedactingLogger } from './security/redacting-logger';
import { compressResponses } from './ui/compress';
import { serveUi } from './ui/serve-ui';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { BootstrapService } from './auth/bootstrap.service';

/** The whole application for `config`, ready to listen; tests call it too. */
export async function createApp(config: AppConfig): Promise<NestExpressApplication> {
  // The gateway reads its own bodies (size caps, OpenAI-shaped errors); only GraphQL uses the JSON parser.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    // Throw start-up errors to the caller (main prints them and exits) instead of exiting here.
    abortOnError: false,
    logger: new RedactingLogger({ logLevels: [...config.logLevels] }),
  });
  const http = app.getHttpAdapter().getInstance();
  http.disable('x-powered-by');
  // Answers here are POSTs and API reads, never revalidated: no SHA-1 of every body for an ETag.
  // The UI's static files keep theirs (express.static sets its own).
  http.disable('etag');
  // Behind a TLS-terminating proxy, req.ip and req.secure come from X-Forwarded-*.
  if (config.trustProxy) http.set('trust proxy', config.trustProxy);
  const scriptHashes = config.uiDir && existsSync(config.uiDir) ? uiScriptHashes(config.uiDir) : [];
  const security = { production: config.production, scriptHashes };
  app.use(securityHeaders(security));
  const callers = app.get(CallerResolver);
  const signedIn = (req: Parameters<CallerResolver['fromHttp']>[0]) => {
    try {
      return callers.fromHttp(req).kind === 'session';
    } catch {
      return false;
    }
  };
  app.use('/graphql', graphqlExplorer({ enabled: !config.production, signedIn }));
  app.use('/graphql', compressResponses());
  app.use('/graphql', apiRateLimit(config.apiRateLimitRps, new Clock()), ...jsonBody('1mb'));
  app.use('/auth', ...jsonBody('16kb'));
  app.enableShutdownHooks();
  // SDKs keep connections alive; Node's 5 s default closes idle ones under a client's next request
  // and makes it reconnect after any pause. Longer than a load balancer's usual 60 s idle timeout.
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // Before init: Nest's not-found handler would otherwise answer first.
  serveUi(http, config.uiDir);
  await app.init();
  app.get(DirectRoutes).install(server, securityHeaderSetter(security));
  await app.get(BootstrapService).run();
  return app;
}
