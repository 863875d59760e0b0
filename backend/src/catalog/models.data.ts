import type { CatalogModel, Modality, ModelPrice } from './catalog-model';

/**
 * The model catalog: limits, capabilities and list prices of the models Sightline knows by name.
 * Figures are the providers' published ones (USD per 1M tokens, standard tier, prompts within
 * the base context tier); `checkedOn` is the day they were last compared with the source page.
 * A price change is a new entry with its `effectiveFrom` date, never an edit of an old one;
 * bump {@link PRICE_TABLE_VERSION} with every change. A provider's moving alias (`-latest`) is listed
 * on the entry it served when the table was checked, so calls by that name are priced; move it with the
 * provider (and bump the version).
 */
export const PRICE_TABLE_VERSION = '2026-12-01.2';

/** The day most entries were last compared with their source page; an entry re-checked later says so. */
const CHECKED = '2026-11-30';

const SOURCES = {
  openai: 'https://platform.openai.com/docs/pricing',
  anthropic: 'https://docs.anthropic.com/en/docs/about-claude/pricing',
  gemini: 'https://ai.google.dev/gemini-api/docs/pricing',
  bedrock: 'https://aws.amazon.com/bedrock/pricing/',
  mistral: 'https://mistral.ai/pricing#api-pricing',
  cohere: 'https://cohere.com/pricing',
  groq: 'https://groq.com/pricing',
  together: 'https://www.together.ai/pricing',
  fireworks: 'https://fireworks.ai/pricing',
  deepseek: 'https://api-docs.deepseek.com/quick_start/pricing',
  xai: 'https://docs.x.ai/docs/models',
  perplexity: 'https://docs.perplexity.ai/getting-started/pricing',
} as const;

/** `[input, output, cachedInput?, cacheWrite?]` per 1M tokens from `effectiveFrom`. */
type Rates = readonly [number, number, (number | null)?, number?];

/** Long-context tiers, request fees and audio input priced apart, beside the base rates. */
type Extras = Pick<ModelPrice, 'tiers' | 'perRequestUsd' | 'audioInputPerMTok'>;

function price(
  provider: keyof typeof SOURCES,
  effectiveFrom: string,
  rates: Rates,
  extras: Extras = {},
  checkedOn = CHECKED,
): ModelPrice {
  const [inputPerMTok, outputPerMTok, cached = null, cacheWrite] = rates;
  return {
    effectiveFrom,
    currency: 'USD',
    inputPerMTok,
    outputPerMTok,
    cachedInputPerMTok: cached,
    ...(cacheWrite !== undefined ? { cacheWritePerMTok: cacheWrite } : {}),
    ...extras,
    source: { url: SOURCES[provider], checkedOn },
  };
}

/** A tier above `aboveInputTokens` input tokens (the whole request is billed at it). */
function above(aboveInputTokens: number, rates: Rates) {
  const [inputPerMTok, outputPerMTok, cached = null, cacheWrite] = rates;
  return {
    aboveInputTokens,
    inputPerMTok,
    outputPerMTok,
    cachedInputPerMTok: cached,
    ...(cacheWrite !== undefined ? { cacheWritePerMTok: cacheWrite } : {}),
  };
}

const TEXT: readonly Modality[] = ['text'];
const VISION: readonly Modality[] = ['text', 'image'];
const GEMINI_IN: readonly Modality[] = ['text', 'image', 'audio', 'video', 'file'];

type Spec = Omit<CatalogModel, 'provider' | 'prices' | 'output'> & {
  readonly since: string;
  readonly rates: Rates;
  readonly extras?: Extras;
  readonly output?: readonly Modality[];
  /** Prices before `since`, oldest first: each runs until the next one starts. */
  readonly earlier?: readonly { readonly since: string; readonly rates: Rates }[];
  /** When this entry was compared with its source later than {@link CHECKED}. */
  readonly checked?: string;
};

function family(provider: keyof typeof SOURCES, specs: readonly Spec[]): CatalogModel[] {
  return specs.map(({ since, rates, extras, output = TEXT, earlier = [], checked, ...model }) => ({
    ...model,
    provider,
    output,
    prices: [
      ...earlier.map((old) => price(provider, old.since, old.rates, {}, checked)),
      price(provider, since, rates, extras, checked),
    ],
  }));
}

/**
 * Claude Sonnet 4 and 4.5 with the 1M-token context (beta): a request above 200k input tokens is
 * billed wholly at $6 in / $22.50 out, cache writes $7.50 and reads $0.60 per 1M.
 */
const SONNET_LONG_CONTEXT: Extras = { tiers: [above(200_000, [6, 22.5, 0.6, 7.5])] };

const chat = { tools: true, structuredOutput: true } as const;

const openai = family('openai', [
  {
    id: 'gpt-5',
    aliases: ['gpt-5-2025-08-07'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    input: VISION,
    ...chat,
    since: '2025-08-07',
    rates: [1.25, 10, 0.125],
  },
  {
    id: 'gpt-5-mini',
    aliases: ['gpt-5-mini-2025-08-07'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    input: VISION,
    ...chat,
    since: '2025-08-07',
    rates: [0.25, 2, 0.025],
  },
  {
    id: 'gpt-5-nano',
    aliases: ['gpt-5-nano-2025-08-07'],
    contextWindow: 400_000,
    maxOutputTokens: 128_000,
    input: VISION,
    ...chat,
    since: '2025-08-07',
    rates: [0.05, 0.4, 0.005],
  },
  {
    id: 'gpt-4.1',
    aliases: ['gpt-4.1-2025-04-14'],
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    input: VISION,
    ...chat,
    since: '2025-04-14',
    rates: [2, 8, 0.5],
  },
  {
    id: 'gpt-4.1-mini',
    aliases: ['gpt-4.1-mini-2025-04-14'],
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    input: VISION,
    ...chat,
    since: '2025-04-14',
    rates: [0.4, 1.6, 0.1],
  },
  {
    id: 'gpt-4.1-nano',
    aliases: ['gpt-4.1-nano-2025-04-14'],
    contextWindow: 1_047_576,
    maxOutputTokens: 32_768,
    input: VISION,
    ...chat,
    since: '2025-04-14',
    rates: [0.1, 0.4, 0.025],
  },
  {
    id: 'gpt-4o',
    aliases: ['gpt-4o-2024-08-06', 'gpt-4o-2024-11-20'],
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    input: VISION,
    ...chat,
    since: '2024-08-06',
    rates: [2.5, 10, 1.25],
  },
  {
    id: 'gpt-4o-mini',
    aliases: ['gpt-4o-mini-2024-07-18'],
    contextWindow: 128_000,
    maxOutputTokens: 16_384,
    input: VISION,
    ...chat,
    since: '2024-07-18',
    rates: [0.15, 0.6, 0.075],
  },
  {
    id: 'o3',
    aliases: ['o3-2025-04-16'],
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    input: VISION,
    ...chat,
    // Launched at $10 in / $40 out ($2.50 cached); cut by 80% on 2025-06-10.
    earlier: [{ since: '2025-04-16', rates: [10, 40, 2.5] }],
    since: '2025-06-10',
    rates: [2, 8, 0.5],
    checked: '2026-12-01',
  },
  {
    id: 'o4-mini',
    aliases: ['o4-mini-2025-04-16'],
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    input: VISION,
    ...chat,
    since: '2025-04-16',
    rates: [1.1, 4.4, 0.275],
  },
  {
    id: 'o3-mini',
    aliases: ['o3-mini-2025-01-31'],
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    input: TEXT,
    ...chat,
    since: '2025-01-31',
    rates: [1.1, 4.4, 0.55],
  },
  {
    id: 'o1',
    aliases: ['o1-2024-12-17'],
    contextWindow: 200_000,
    maxOutputTokens: 100_000,
    input: VISION,
    ...chat,
    since: '2024-12-17',
    rates: [15, 60, 7.5],
  },
]);

const anthropic = family('anthropic', [
  {
    id: 'claude-opus-4-5-20251101',
    aliases: ['claude-opus-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-11-24',
    rates: [5, 25, 0.5, 6.25],
  },
  {
    id: 'claude-sonnet-4-5-20250929',
    aliases: ['claude-sonnet-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-09-29',
    rates: [3, 15, 0.3, 3.75],
    extras: SONNET_LONG_CONTEXT,
  },
  {
    id: 'claude-haiku-4-5-20251001',
    aliases: ['claude-haiku-4-5'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-10-15',
    rates: [1, 5, 0.1, 1.25],
  },
  {
    id: 'claude-opus-4-1-20250805',
    aliases: ['claude-opus-4-1'],
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    input: VISION,
    ...chat,
    since: '2025-08-05',
    rates: [15, 75, 1.5, 18.75],
  },
  {
    id: 'claude-sonnet-4-20250514',
    aliases: ['claude-sonnet-4-0'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-05-22',
    rates: [3, 15, 0.3, 3.75],
    extras: SONNET_LONG_CONTEXT,
  },
  {
    id: 'claude-3-7-sonnet-20250219',
    aliases: ['claude-3-7-sonnet-latest'],
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    tools: true,
    structuredOutput: false,
    since: '2025-02-24',
    rates: [3, 15, 0.3, 3.75],
  },
  {
    id: 'claude-3-5-haiku-20241022',
    aliases: ['claude-3-5-haiku-latest'],
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    input: TEXT,
    tools: true,
    structuredOutput: false,
    since: '2024-11-04',
    rates: [0.8, 4, 0.08, 1],
  },
]);

const gemini = family('gemini', [
  {
    id: 'gemini-3-pro-preview',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    input: GEMINI_IN,
    ...chat,
    since: '2025-11-18',
    rates: [2, 12, 0.2],
    // Prompts above 200k tokens: $4 in / $18 out, cache $0.40 per 1M.
    extras: { tiers: [above(200_000, [4, 18, 0.4])] },
  },
  {
    id: 'gemini-2.5-pro',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    input: GEMINI_IN,
    ...chat,
    since: '2025-06-17',
    rates: [1.25, 10, 0.125],
    // Prompts above 200k tokens: $2.50 in / $15 out, cache $0.25 per 1M.
    extras: { tiers: [above(200_000, [2.5, 15, 0.25])] },
  },
  {
    id: 'gemini-2.5-flash',
    aliases: ['gemini-flash-latest', 'gemini-2.5-flash-preview-09-2025'],
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    input: GEMINI_IN,
    ...chat,
    since: '2025-06-17',
    rates: [0.3, 2.5, 0.03],
    // Audio input is $1.00 per 1M (text, image and video $0.30).
    extras: { audioInputPerMTok: 1 },
    checked: '2026-12-01',
  },
  {
    id: 'gemini-2.5-flash-lite',
    aliases: ['gemini-flash-lite-latest', 'gemini-2.5-flash-lite-preview-09-2025'],
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    input: GEMINI_IN,
    ...chat,
    since: '2025-07-22',
    rates: [0.1, 0.4, 0.01],
    // Audio input is $0.30 per 1M (text, image and video $0.10).
    extras: { audioInputPerMTok: 0.3 },
    checked: '2026-12-01',
  },
  {
    id: 'gemini-2.0-flash',
    aliases: ['gemini-2.0-flash-001'],
    contextWindow: 1_048_576,
    maxOutputTokens: 8_192,
    input: GEMINI_IN,
    ...chat,
    since: '2025-02-05',
    rates: [0.1, 0.4, 0.025],
    // Audio input is $0.70 per 1M (text, image and video $0.10).
    extras: { audioInputPerMTok: 0.7 },
    checked: '2026-12-01',
  },
]);

const bedrock = family('bedrock', [
  {
    id: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-09-29',
    rates: [3, 15, 0.3, 3.75],
    extras: SONNET_LONG_CONTEXT,
  },
  {
    id: 'anthropic.claude-haiku-4-5-20251001-v1:0',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    input: VISION,
    ...chat,
    since: '2025-10-15',
    rates: [1, 5, 0.1, 1.25],
  },
  {
    id: 'amazon.nova-pro-v1:0',
    contextWindow: 300_000,
    maxOutputTokens: 10_000,
    input: ['text', 'image', 'video'],
    tools: true,
    structuredOutput: false,
    since: '2024-12-03',
    rates: [0.8, 3.2, 0.2],
  },
  {
    id: 'amazon.nova-lite-v1:0',
    contextWindow: 300_000,
    maxOutputTokens: 10_000,
    input: ['text', 'image', 'video'],
    tools: true,
    structuredOutput: false,
    since: '2024-12-03',
    rates: [0.06, 0.24, 0.015],
  },
  {
    id: 'amazon.nova-micro-v1:0',
    contextWindow: 128_000,
    maxOutputTokens: 10_000,
    input: TEXT,
    tools: true,
    structuredOutput: false,
    since: '2024-12-03',
    rates: [0.035, 0.14, 0.00875],
  },
  {
    id: 'meta.llama3-3-70b-instruct-v1:0',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    input: TEXT,
    tools: true,
    structuredOutput: false,
    since: '2024-12-19',
    rates: [0.72, 0.72],
  },
]);

const mistral = family('mistral', [
  {
    id: 'mistral-large-2411',
    aliases: ['mistral-large-latest'],
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2024-11-18',
    rates: [2, 6],
  },
  {
    id: 'mistral-medium-2505',
    aliases: ['mistral-medium-latest'],
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: VISION,
    ...chat,
    since: '2025-05-07',
    rates: [0.4, 2],
  },
  {
    id: 'mistral-small-2503',
    aliases: ['mistral-small-latest'],
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: VISION,
    ...chat,
    since: '2025-03-17',
    rates: [0.1, 0.3],
  },
  {
    id: 'codestral-2501',
    aliases: ['codestral-latest'],
    contextWindow: 262_144,
    maxOutputTokens: 262_144,
    input: TEXT,
    ...chat,
    since: '2025-01-13',
    rates: [0.3, 0.9],
  },
]);

const cohere = family('cohere', [
  {
    id: 'command-a-03-2025',
    contextWindow: 256_000,
    maxOutputTokens: 8_000,
    input: TEXT,
    ...chat,
    since: '2025-03-13',
    rates: [2.5, 10],
  },
  {
    id: 'command-r-plus-08-2024',
    contextWindow: 128_000,
    maxOutputTokens: 4_000,
    input: TEXT,
    ...chat,
    since: '2024-08-30',
    rates: [2.5, 10],
  },
  {
    id: 'command-r-08-2024',
    contextWindow: 128_000,
    maxOutputTokens: 4_000,
    input: TEXT,
    ...chat,
    since: '2024-08-30',
    rates: [0.15, 0.6],
  },
  {
    id: 'command-r7b-12-2024',
    contextWindow: 128_000,
    maxOutputTokens: 4_000,
    input: TEXT,
    ...chat,
    since: '2024-12-13',
    rates: [0.0375, 0.15],
  },
]);

const groq = family('groq', [
  {
    id: 'groq/llama-3.3-70b-versatile',
    wireModel: 'llama-3.3-70b-versatile',
    contextWindow: 131_072,
    maxOutputTokens: 32_768,
    input: TEXT,
    tools: true,
    structuredOutput: false,
    since: '2024-12-06',
    rates: [0.59, 0.79],
  },
  {
    id: 'groq/llama-3.1-8b-instant',
    wireModel: 'llama-3.1-8b-instant',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    tools: true,
    structuredOutput: false,
    since: '2024-07-23',
    rates: [0.05, 0.08],
  },
  {
    id: 'groq/openai/gpt-oss-120b',
    wireModel: 'openai/gpt-oss-120b',
    contextWindow: 131_072,
    maxOutputTokens: 65_536,
    input: TEXT,
    ...chat,
    since: '2025-08-05',
    rates: [0.15, 0.6, 0.075],
    checked: '2026-12-01',
  },
]);

const together = family('together', [
  {
    id: 'together/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    wireModel: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2024-12-06',
    rates: [0.88, 0.88],
  },
  {
    id: 'together/deepseek-ai/DeepSeek-V3',
    wireModel: 'deepseek-ai/DeepSeek-V3',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2024-12-26',
    rates: [1.25, 1.25],
  },
  {
    id: 'together/Qwen/Qwen2.5-72B-Instruct-Turbo',
    wireModel: 'Qwen/Qwen2.5-72B-Instruct-Turbo',
    contextWindow: 32_768,
    maxOutputTokens: 32_768,
    input: TEXT,
    ...chat,
    since: '2024-09-19',
    rates: [1.2, 1.2],
  },
]);

const fireworks = family('fireworks', [
  {
    id: 'fireworks/llama-v3p3-70b-instruct',
    wireModel: 'accounts/fireworks/models/llama-v3p3-70b-instruct',
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2024-12-06',
    rates: [0.9, 0.9],
  },
]);

const xai = family('xai', [
  {
    id: 'grok-4-0709',
    aliases: ['grok-4', 'grok-4-latest'],
    contextWindow: 256_000,
    maxOutputTokens: 256_000,
    input: VISION,
    ...chat,
    since: '2025-07-09',
    rates: [3, 15, 0.75],
    // A request above 128k tokens is billed wholly at $6 in / $30 out; the page gives one cached rate.
    extras: { tiers: [above(128_000, [6, 30, 0.75])] },
    checked: '2026-12-01',
  },
  {
    id: 'grok-4-fast-reasoning',
    aliases: ['grok-4-fast-reasoning-latest'],
    contextWindow: 2_000_000,
    maxOutputTokens: 2_000_000,
    input: VISION,
    ...chat,
    since: '2025-09-19',
    rates: [0.2, 0.5, 0.05],
  },
  {
    id: 'grok-3',
    aliases: ['grok-3-latest'],
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2025-04-09',
    rates: [3, 15, 0.75],
    checked: '2026-12-01',
  },
  {
    id: 'grok-3-mini',
    aliases: ['grok-3-mini-latest'],
    contextWindow: 131_072,
    maxOutputTokens: 131_072,
    input: TEXT,
    ...chat,
    since: '2025-04-09',
    rates: [0.3, 0.5, 0.075],
    checked: '2026-12-01',
  },
]);

const perplexity = family('perplexity', [
  {
    id: 'sonar',
    contextWindow: 127_072,
    maxOutputTokens: 127_072,
    input: TEXT,
    tools: false,
    structuredOutput: true,
    since: '2025-01-21',
    rates: [1, 1],
    // The request fee at the default (low) search context: $5 per 1,000 requests. Medium ($8) and
    // high ($12) contexts cost more: Sightline records the low fee.
    extras: { perRequestUsd: 0.005 },
  },
  {
    id: 'sonar-pro',
    contextWindow: 200_000,
    maxOutputTokens: 8_000,
    input: TEXT,
    tools: false,
    structuredOutput: true,
    since: '2025-01-21',
    rates: [3, 15],
    // Low search context: $6 per 1,000 requests (medium $10, high $14).
    extras: { perRequestUsd: 0.006 },
  },
]);

/** DeepSeek lowered its prices with V3.2: two entries, each from its own date. */
const deepseekPrices = [
  price('deepseek', '2025-09-05', [0.56, 1.68, 0.07]),
  price('deepseek', '2025-09-29', [0.28, 0.42, 0.028]),
];

const deepseek: CatalogModel[] = [
  {
    id: 'deepseek-chat',
    provider: 'deepseek',
    contextWindow: 128_000,
    maxOutputTokens: 8_192,
    input: TEXT,
    output: TEXT,
    tools: true,
    structuredOutput: false,
    prices: deepseekPrices,
  },
  {
    id: 'deepseek-reasoner',
    provider: 'deepseek',
    contextWindow: 128_000,
    maxOutputTokens: 65_536,
    input: TEXT,
    output: TEXT,
    tools: false,
    structuredOutput: false,
    prices: deepseekPrices,
  },
];

/** Sightline's offline model: answers from the request itself, free. */
const mock: CatalogModel[] = ['mock-1', 'mock-large'].map((id) => ({
  id,
  provider: 'mock',
  contextWindow: id === 'mock-1' ? 128_000 : 1_000_000,
  maxOutputTokens: 16_384,
  input: TEXT,
  output: TEXT,
  tools: true,
  structuredOutput: true,
  prices: [],
}));

export const CATALOG_MODELS: readonly CatalogModel[] = [
  ...openai,
  ...anthropic,
  ...gemini,
  ...bedrock,
  ...mistral,
  ...cohere,
  ...groq,
  ...together,
  ...fireworks,
  ...deepseek,
  ...xai,
  ...perplexity,
  ...mock,
];
