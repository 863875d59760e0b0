import type { RecordedUsage } from '@sightline/schemas';
import type { ModelPrice, TokenRates } from '../catalog/catalog-model';
import type { CostBreakdown, CostFlag, GenerationCost } from './pricing';

/**
 * Pure price math: prices compiled once into integer nano-USD per 1M tokens, then a usage priced
 * with bigint arithmetic only (no floating point touches an amount). No Nest, no state: the gateway
 * and restatement call the same functions with whatever prices they hold.
 */

/** Nano-USD per 1M tokens of each kind, fallbacks resolved. */
export interface CompiledRates {
  readonly input: bigint;
  readonly output: bigint;
  readonly cachedInput: bigint;
  readonly cacheWrite: bigint;
  readonly reasoning: bigint;
  readonly audioInput: bigint;
  readonly audioOutput: bigint;
  readonly imageInput: bigint;
  readonly imageOutput: bigint;
}

/** A price ready to apply: its validity as epoch milliseconds `[fromMs, untilMs)`. */
export interface CompiledPrice {
  /** Named by every cost made with it (`catalog:2026-11-30.1`, `custom:<id>`...). */
  readonly version: string;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly base: CompiledRates;
  /** Highest threshold first. */
  readonly tiers: readonly { readonly aboveInputTokens: number; readonly rates: CompiledRates }[];
  readonly requestFee: bigint;
}

const NANO_DECIMALS = 9;

/**
 * A USD amount as integer nano-USD, exactly: the decimal the number prints as, not its binary value.
 * @throws RangeError for a negative, non-finite or finer-than-nano amount.
 */
export function usdToNano(usd: number | string): bigint {
  const text = typeof usd === 'number' ? decimalText(usd) : usd.trim();
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a non-negative USD amount: ${String(usd)}`);
  const [, whole, fraction = ''] = match;
  if (fraction.replace(/0+$/, '').length > NANO_DECIMALS)
    throw new RangeError(`USD amount finer than a nano-dollar: ${String(usd)}`);
  return BigInt(whole + fraction.padEnd(NANO_DECIMALS, '0').slice(0, NANO_DECIMALS));
}

function decimalText(usd: number): string {
  if (!Number.isFinite(usd) || usd < 0) throw new RangeError(`not a non-negative USD amount: ${usd}`);
  // Shortest round-trip text; exponent forms (1e-7) go through toFixed, exact at 9+ decimals.
  const text = String(usd);
  return text.includes('e') ? usd.toFixed(20).replace(/0+$/, '') : text;
}

/** Integer nano-USD as a decimal USD string with 9 decimals (`"0.000123400"`). */
export function nanoToUsd(nano: bigint): string {
  const sign = nano < 0n ? '-' : '';
  const digits = (nano < 0n ? -nano : nano).toString().padStart(NANO_DECIMALS + 1, '0');
  return `${sign}${digits.slice(0, -NANO_DECIMALS)}.${digits.slice(-NANO_DECIMALS)}`;
}

export function compileRates(rates: TokenRates): CompiledRates {
  const input = usdToNano(rates.inputPerMTok);
  const output = usdToNano(rates.outputPerMTok);
  const or = (value: number | null | undefined, fallback: bigint) =>
    value === null || value === undefined ? fallback : usdToNano(value);
  return {
    input,
    output,
    cachedInput: or(rates.cachedInputPerMTok, input),
    cacheWrite: or(rates.cacheWritePerMTok, input),
    reasoning: or(rates.reasoningPerMTok, output),
    audioInput: or(rates.audioInputPerMTok, input),
    audioOutput: or(rates.audioOutputPerMTok, output),
    imageInput: or(rates.imageInputPerMTok, input),
    imageOutput: or(rates.imageOutputPerMTok, output),
  };
}

const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/**
 * A model's prices (oldest first), compiled. Each runs until the next one's `effectiveFrom`, or its
 * own `effectiveUntil` when earlier (a gap: unpriced in between). `version` names prices that do not
 * name their own.
 */
export function compilePrices(prices: readonly ModelPrice[], version: string): CompiledPrice[] {
  return prices.map((price, i) => {
    const next = prices[i + 1];
    const ends = [price.effectiveUntil, next?.effectiveFrom].filter((d): d is string => d !== undefined);
    return {
      version: price.version ?? version,
      fromMs: dayMs(price.effectiveFrom),
      untilMs: ends.length ? Math.min(...ends.map(dayMs)) : Number.POSITIVE_INFINITY,
      base: compileRates(price),
      tiers: [...(price.tiers ?? [])]
        .sort((a, b) => b.aboveInputTokens - a.aboveInputTokens)
        .map((tier) => ({ aboveInputTokens: tier.aboveInputTokens, rates: compileRates(tier) })),
      requestFee: price.perRequestUsd === undefined ? 0n : usdToNano(price.perRequestUsd),
    };
  });
}

/** The price in force at `atMs` (epoch ms), if any. */
export function priceAt(prices: readonly CompiledPrice[], atMs: number): CompiledPrice | undefined {
  for (const price of prices) if (price.fromMs <= atMs && atMs < price.untilMs) return price;
  return undefined;
}

/** More tokens than any model takes in one request: a count this large is a bug, not a bill. */
export const ABSURD_TOKENS = 100_000_000;

/** Every part zero. */
export const ZERO_BREAKDOWN: CostBreakdown = {
  input: 0n,
  output: 0n,
  cachedInput: 0n,
  cacheWrite: 0n,
  reasoning: 0n,
  audio: 0n,
  image: 0n,
  requestFee: 0n,
};

/**
 * A count as priced: non-integers, negatives, non-numbers and counts above {@link ABSURD_TOKENS}
 * clamp into `[0, ABSURD_TOKENS]` (and are suspicious).
 */
function clean(value: number | undefined): number {
  if (value === undefined) return 0;
  return Number.isFinite(value) ? Math.min(ABSURD_TOKENS, Math.max(0, Math.floor(value))) : 0;
}

const isOff = (value: number | undefined): boolean =>
  value !== undefined && (!Number.isInteger(value) || value < 0 || value > ABSURD_TOKENS);

/** The token counts a cost is made of, each part within its total. */
interface Counts {
  readonly input: number;
  readonly cachedInput: number;
  readonly cacheWrite: number;
  readonly audioInput: number;
  readonly imageInput: number;
  readonly output: number;
  readonly reasoning: number;
  readonly audioOutput: number;
  readonly imageOutput: number;
  readonly suspicious: boolean;
}

/** A usage's counts in range, and whether any was out of it (negative, fractional, absurd). */
function anyOff(u: RecordedUsage): boolean {
  return (
    u.outOfRange === true || // clamped where it was recorded (a provider's negative count...)
    isOff(u.inputTokens) ||
    isOff(u.outputTokens) ||
    isOff(u.cachedTokens) ||
    isOff(u.reasoningTokens) ||
    isOff(u.cacheWriteTokens) ||
    isOff(u.audioInputTokens) ||
    isOff(u.audioOutputTokens) ||
    isOff(u.imageInputTokens) ||
    isOff(u.imageOutputTokens)
  );
}

/**
 * Splits totals into parts, in order: cache reads, cache writes, audio, image out of the input;
 * reasoning, audio, image out of the output. A part larger than what is left of its total is cut
 * to it (and the usage is suspicious). No allocation but the result: this runs for every call.
 */
function countsOf(usage: RecordedUsage): Counts {
  let input = clean(usage.inputTokens);
  let output = clean(usage.outputTokens);
  const cachedInput = Math.min(clean(usage.cachedTokens), input);
  input -= cachedInput;
  const cacheWrite = Math.min(clean(usage.cacheWriteTokens), input);
  input -= cacheWrite;
  const audioInput = Math.min(clean(usage.audioInputTokens), input);
  input -= audioInput;
  const imageInput = Math.min(clean(usage.imageInputTokens), input);
  input -= imageInput;
  const reasoning = Math.min(clean(usage.reasoningTokens), output);
  output -= reasoning;
  const audioOutput = Math.min(clean(usage.audioOutputTokens), output);
  output -= audioOutput;
  const imageOutput = Math.min(clean(usage.imageOutputTokens), output);
  output -= imageOutput;
  const cut =
    cachedInput + cacheWrite + audioInput + imageInput <
      clean(usage.cachedTokens) +
        clean(usage.cacheWriteTokens) +
        clean(usage.audioInputTokens) +
        clean(usage.imageInputTokens) ||
    reasoning + audioOutput + imageOutput <
      clean(usage.reasoningTokens) + clean(usage.audioOutputTokens) + clean(usage.imageOutputTokens);
  return {
    input,
    cachedInput,
    cacheWrite,
    audioInput,
    imageInput,
    output,
    reasoning,
    audioOutput,
    imageOutput,
    suspicious: cut || anyOff(usage),
  };
}

const PER_MTOK = 1_000_000n;

/** `tokens × nano-per-1M / 1M`, rounded half up to the nano-dollar. */
function times(tokens: number, nanoPerMTok: bigint): bigint {
  if (tokens === 0 || nanoPerMTok === 0n) return 0n;
  return (BigInt(tokens) * nanoPerMTok * 2n + PER_MTOK) / (2n * PER_MTOK);
}

function tierRates(price: CompiledPrice, inputTokens: number): CompiledRates {
  for (const tier of price.tiers) if (inputTokens > tier.aboveInputTokens) return tier.rates;
  return price.base;
}

function flagsOf(usage: RecordedUsage, ...more: (CostFlag | false)[]): CostFlag[] {
  const flags: CostFlag[] = [];
  if (usage.source !== 'reported') flags.push('estimated_usage');
  if (usage.tokenizer === 'approximation') flags.push('approximate_tokens');
  for (const flag of more) if (flag) flags.push(flag);
  return flags;
}

/**
 * The cost of `usage` at `price` (the one in force at the request's time, or undefined: unpriced,
 * a zero cost flagged `unpriced`). Each part is rounded to the nano-dollar; the total is their sum.
 */
export function costOfUsage(price: CompiledPrice | undefined, usage: RecordedUsage): GenerationCost {
  const counts = countsOf(usage);
  if (!price)
    return {
      totalNanoUsd: 0n,
      breakdown: ZERO_BREAKDOWN,
      priceVersion: 'none',
      flags: flagsOf(usage, 'unpriced', counts.suspicious && 'suspicious_usage'),
    };
  const rates = tierRates(price, clean(usage.inputTokens));
  const breakdown: CostBreakdown = {
    input: times(counts.input, rates.input),
    output: times(counts.output, rates.output),
    cachedInput: times(counts.cachedInput, rates.cachedInput),
    cacheWrite: times(counts.cacheWrite, rates.cacheWrite),
    reasoning: times(counts.reasoning, rates.reasoning),
    audio: times(counts.audioInput, rates.audioInput) + times(counts.audioOutput, rates.audioOutput),
    image: times(counts.imageInput, rates.imageInput) + times(counts.imageOutput, rates.imageOutput),
    requestFee: price.requestFee,
  };
  return {
    totalNanoUsd: sumOf(breakdown),
    breakdown,
    priceVersion: price.version,
    flags: flagsOf(usage, counts.suspicious && 'suspicious_usage'),
  };
}

export function sumOf(b: CostBreakdown): bigint {
  return b.input + b.output + b.cachedInput + b.cacheWrite + b.reasoning + b.audio + b.image + b.requestFee;
}
