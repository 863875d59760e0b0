import { createHash } from 'node:crypto';
import { countTokens } from '../../providers/mock/mock-model';
import type { ProviderAdapter, UpstreamRequest, UpstreamResponse } from '../../providers/upstream';

const DIMENSIONS = 16;

/**
 * Embeddings from the built-in mock provider: a unit vector from each input's SHA-256 (the same
 * text always gives the same vector), usage counted with the mock model's tokens. OpenAI's answer
 * shape, base64 when asked.
 */
export class MockEmbeddingsAdapter implements ProviderAdapter {
  readonly id = 'mock';
  readonly format = 'openai-chat' as const;

  call(request: UpstreamRequest): Promise<UpstreamResponse> {
    const body = request.body as { input: unknown; dimensions?: number; encoding_format?: string };
    const inputs = (
      Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input]
    ).map((input: unknown) => (typeof input === 'string' ? input : JSON.stringify(input)));
    const dimensions = body.dimensions ?? DIMENSIONS;
    const tokens = inputs.reduce((sum, text) => sum + Math.max(1, countTokens(text)), 0);
    const answer = {
      object: 'list',
      data: inputs.map((text, index) => {
        const vector = unitVector(text, dimensions);
        const embedding =
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      }),
      model: request.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
    return Promise.resolve({
      kind: 'json',
      status: 200,
      headers: {},
      body: Buffer.from(JSON.stringify(answer)),
    });
  }
}

function unitVector(text: string, dimensions: number): number[] {
  const raw: number[] = [];
  for (let block = 0; raw.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}:${text}`).digest();
    for (let i = 0; i < digest.length && raw.length < dimensions; i += 2)
      raw.push(digest.readInt16LE(i) / 32768);
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((x) => Math.fround(x / norm));
}
