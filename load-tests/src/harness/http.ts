import { Agent, request, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * A keep-alive agent holding up to `sockets` connections, so a loop reuses its sockets. An idle
 * socket is closed after 1 s, before the server's keep-alive timeout (5 s in Node) can close it
 * under a request being sent (ECONNRESET between phases).
 */
export function keepAliveAgent(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, timeout: 1000 });
}

export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

/** POST a JSON body; resolves with the whole response body. */
export function postJson(
  agent: Agent,
  url: string,
  body: string,
  headers: OutgoingHttpHeaders = {},
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export interface StreamTiming {
  readonly status: number;
  /** From `startedAt` (default: sending) to the first SSE chunk carrying non-empty `delta.content`, ms. */
  readonly firstContentMs: number;
  /** From `startedAt` (default: sending) to the end of the response, ms. */
  readonly lastByteMs: number;
  /** Concatenated `delta.content` of every chunk. */
  readonly content: string;
  /** Whether `data: [DONE]` arrived. */
  readonly done: boolean;
}

/**
 * POST a streaming Chat Completions request and time its SSE chunks as they arrive, from
 * `startedAt` (a `performance.now()` time, e.g. an open loop's intended send time; default now).
 */
export function postStream(
  agent: Agent,
  url: string,
  body: string,
  headers: OutgoingHttpHeaders = {},
  startedAt = performance.now(),
): Promise<StreamTiming> {
  return new Promise((resolve, reject) => {
    const start = startedAt;
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        let buffered = '';
        let content = '';
        let firstContentMs = Number.NaN;
        let done = false;
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          buffered += text;
          let end: number;
          while ((end = buffered.indexOf('\n\n')) >= 0) {
            const event = buffered.slice(0, end);
            buffered = buffered.slice(end + 2);
            for (const line of event.split('\n')) {
              if (!line.startsWith('data:')) continue;
              const data = line.slice(5).trim();
              if (data === '[DONE]') {
                done = true;
                continue;
              }
              const delta = (JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] })
                .choices?.[0]?.delta?.content;
              if (typeof delta === 'string' && delta !== '') {
                if (Number.isNaN(firstContentMs)) firstContentMs = performance.now() - start;
                content += delta;
              }
            }
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            firstContentMs,
            lastByteMs: performance.now() - start,
            content,
            done,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** GET `url`; resolves with the status, or rejects when nothing answers. */
export function getStatus(url: string, timeoutMs = 1000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
