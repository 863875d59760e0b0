import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compressResponses } from './compress';

const API_PREFIXES = ['/graphql', '/v1/', '/api/', '/auth/', '/healthz'];

/** Serve the built SvelteKit app; unknown paths get `index.html` (client-side routing). */
export function serveUi(app: Express, uiDir: string | undefined): boolean {
  if (!uiDir || !existsSync(join(uiDir, 'index.html'))) return false;
  const compress = compressResponses();
  // The UI's paths only (the API's answers are compressed, or not, by their own routes).
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
    API_PREFIXES.some((p) => req.path.startsWith(p)) ? next() : compress(req, res, next),
  );
  app.use(express.static(uiDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
  app.get(/.*/, (req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (req.method !== 'GET' || API_PREFIXES.some((p) => req.path.startsWith(p))) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(join(uiDir, 'index.html'));
  });
  return true;
}

function noCacheForHtml(res: express.Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('cache-control', 'no-cache');
}
