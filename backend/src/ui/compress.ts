import compression from 'compression';
import type { RequestHandler } from 'express';

/**
 * gzip/brotli (whichever the browser accepts) for the UI's files and GraphQL answers over HTTP: a
 * trace's detail is ~360 kB of JSON and the app's scripts ~300 kB, a quarter of that compressed.
 * Only those: the gateway's and ingest's answers (SSE streams among them) stay as they are.
 */
export function compressResponses(): RequestHandler {
  return compression({ threshold: 1024 });
}
