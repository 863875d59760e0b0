import express from 'express';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { serveUi } from './serve-ui';

describe('serveUi', () => {
  const script = `export const rows = [${Array.from({ length: 2000 }, (_, i) => i).join(',')}];\n`;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sightline-ui-'));
    mkdirSync(join(dir, '_app'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Sightline</title>');
    writeFileSync(join(dir, '_app', 'chunk.js'), script);
    const app = express();
    serveUi(app, dir);
    app.get('/api/big', (_req, res) => res.type('text/plain').send(script));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  // fetch() would decode the body itself: node:http shows the bytes as sent.
  const raw = (path: string, acceptEncoding: string) => {
    return new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
      request(`${base}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
  };

  it('sends the app’s files compressed when the browser accepts it', async () => {
    const { encoding, body } = await raw('/_app/chunk.js', 'gzip, deflate, br');
    expect(encoding).toBe('br');
    expect(body.length).toBeLessThan(script.length / 2);
    expect(brotliDecompressSync(body).toString()).toBe(script);
  });

  it('sends them as they are to a client that accepts no encoding', async () => {
    const { encoding, body } = await raw('/_app/chunk.js', 'identity');
    expect(encoding).toBeUndefined();
    expect(body.toString()).toBe(script);
  });

  it('leaves the API’s answers alone', async () => {
    const { encoding, body } = await raw('/api/big', 'gzip, br');
    expect(encoding).toBeUndefined();
    expect(body.toString()).toBe(script);
  });
});
