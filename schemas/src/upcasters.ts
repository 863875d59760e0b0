import type { GenerationRequested, GenerationRequestedV1 } from './events/generation';

/** Turns version N of an event into version N+1. Keyed by `<type>.v<N>`. */
type Upcaster = (event: never) => unknown;

function generationRequestedV1toV2(event: GenerationRequestedV1): GenerationRequested {
  const { temperature, maxTokens, ...rest } = event.data;
  const params: Record<string, unknown> = {};
  if (temperature !== undefined) params.temperature = temperature;
  if (maxTokens !== undefined) params.max_tokens = maxTokens;
  return { ...event, version: 2, data: { ...rest, params, tags: [], metadata: {} } };
}

export const UPCASTERS: Readonly<Record<string, Upcaster>> = {
  'generation.requested.v1': generationRequestedV1toV2,
};
