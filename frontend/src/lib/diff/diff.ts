// What changed between an original generation and its replays: words of the output (jsdiff),
// fields of a JSON output, tool calls by name, and the deltas of the numbers.
import { diffWords } from 'diff';

/** A run of words: in both, only in the original (`removed`) or only in the replay (`added`). */
export interface TextPart {
  readonly text: string;
  readonly kind: 'same' | 'added' | 'removed';
}

/** Word-level diff of two texts (null reads as empty). */
export function textDiff(before: string | null, after: string | null): TextPart[] {
  return diffWords(before ?? '', after ?? '').map((c) => ({
    text: c.value,
    kind: c.added ? 'added' : c.removed ? 'removed' : 'same',
  }));
}

/** One leaf of a JSON value and how it changed; values as JSON text. */
export interface FieldChange {
  /** Dotted path: `customer.name`, `items.0.sku`; `` for the whole value. */
  readonly path: string;
  readonly kind: 'same' | 'added' | 'removed' | 'changed';
  readonly before?: string;
  readonly after?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Field-by-field diff of two JSON values, leaves in path order (objects and arrays are walked). */
export function fieldDiff(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => {
      const at = path ? `${path}.${key}` : key;
      if (!(key in after))
        return [{ path: at, kind: 'removed' as const, before: JSON.stringify(before[key]) }];
      if (!(key in before)) return [{ path: at, kind: 'added' as const, after: JSON.stringify(after[key]) }];
      return fieldDiff(before[key], after[key], at);
    });
  }
  const [b, a] = [JSON.stringify(before), JSON.stringify(after)];
  return [{ path, kind: b === a ? 'same' : 'changed', before: b, after: a }];
}

/** The JSON object or array a text holds, else undefined (plain prose). */
export function jsonOf(text: string | null): unknown {
  const trimmed = text?.trim() ?? '';
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

export interface ToolCallLike {
  readonly name: string;
  readonly arguments: string;
}

/** A tool call of either side, paired with the other side's call of the same name (in order). */
export interface ToolCallChange {
  readonly name: string;
  readonly kind: 'same' | 'added' | 'removed' | 'changed';
  readonly before?: string;
  readonly after?: string;
  /** Field-by-field diff of the arguments when both are JSON. */
  readonly fields: FieldChange[];
}

/** Tool calls paired by name, in the order they were asked for; arguments compared as JSON when they are. */
export function toolCallDiff(
  before: readonly ToolCallLike[],
  after: readonly ToolCallLike[],
): ToolCallChange[] {
  const left = [...after];
  const changes: ToolCallChange[] = before.map((call) => {
    const at = left.findIndex((c) => c.name === call.name);
    if (at < 0) return { name: call.name, kind: 'removed', before: call.arguments, fields: [] };
    const [match] = left.splice(at, 1);
    const [b, a] = [jsonOf(call.arguments), jsonOf(match.arguments)];
    const fields = b !== undefined && a !== undefined ? fieldDiff(b, a).filter((f) => f.kind !== 'same') : [];
    const same =
      b !== undefined && a !== undefined ? fields.length === 0 : call.arguments === match.arguments;
    return {
      name: call.name,
      kind: same ? 'same' : 'changed',
      before: call.arguments,
      after: match.arguments,
      fields,
    };
  });
  return [
    ...changes,
    ...left.map((c) => ({ name: c.name, kind: 'added' as const, after: c.arguments, fields: [] })),
  ];
}

/** A number of the original and of the replay; `delta` is replay − original, null when either is unknown. */
export interface Delta {
  readonly label: string;
  readonly before: number | null;
  readonly after: number | null;
  readonly delta: number | null;
  /** The change relative to the original, e.g. -0.25 for 25 % less; null when not computable. */
  readonly ratio: number | null;
  readonly unit: 'ms' | 'tokens' | 'usd';
  /** Of the original and of the replay. */
  readonly marks: readonly [Marks, Marks];
}

export function delta(
  label: string,
  before: number | null,
  after: number | null,
  unit: Delta['unit'],
  marks: readonly [Marks, Marks] = [
    { unpriced: false, estimated: false },
    { unpriced: false, estimated: false },
  ],
): Delta {
  const d = before === null || after === null ? null : after - before;
  return { label, before, after, delta: d, ratio: d === null || !before ? null : d / before, unit, marks };
}

export interface Measured {
  readonly cost: string | null;
  /** UNPRICED, ESTIMATED_USAGE... of the cost. */
  readonly costFlags: readonly string[];
  /** ESTIMATED when Sightline counted the tokens (the provider reported none). */
  readonly usageSource: string;
  readonly latencyMs: number | null;
  readonly timeToFirstTokenMs: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** How a side of a delta reads: no price in force (never a silent $0), or resting on estimated tokens (≈). */
export interface Marks {
  readonly unpriced: boolean;
  readonly estimated: boolean;
}

/** The marks of a generation's cost and of its tokens, as the other pages show them. */
export function marksOf(m: Measured): { cost: Marks; tokens: Marks } {
  const estimated = m.usageSource === 'ESTIMATED' || m.costFlags.includes('ESTIMATED_USAGE');
  const unpriced = m.cost === null || m.costFlags.includes('UNPRICED');
  return { cost: { unpriced, estimated: estimated && !unpriced }, tokens: { unpriced: false, estimated } };
}

/** Cost, latency, time to first token and tokens of a replay against its original, with their marks. */
export function deltas(original: Measured, replay: Measured): Delta[] {
  const [a, b] = [marksOf(original), marksOf(replay)];
  const usd = (v: string | null, marks: Marks) => (v === null || marks.unpriced ? null : Number(v));
  const plain: Marks = { unpriced: false, estimated: false };
  return [
    delta('Cost', usd(original.cost, a.cost), usd(replay.cost, b.cost), 'usd', [a.cost, b.cost]),
    delta('Latency', original.latencyMs, replay.latencyMs, 'ms', [plain, plain]),
    delta('Time to first token', original.timeToFirstTokenMs, replay.timeToFirstTokenMs, 'ms', [
      plain,
      plain,
    ]),
    delta('Input tokens', original.inputTokens, replay.inputTokens, 'tokens', [a.tokens, b.tokens]),
    delta('Output tokens', original.outputTokens, replay.outputTokens, 'tokens', [a.tokens, b.tokens]),
  ];
}

/** `name v<version>` of the prompt version a generation recorded (`prompt.name`, `prompt.version`), or null. */
export function promptOf(metadata: readonly { key: string; value: string }[]): string | null {
  const get = (key: string) => metadata.find((m) => m.key === key)?.value;
  const name = get('prompt.name');
  const version = get('prompt.version');
  return name ? `${name}${version ? ` v${version}` : ''}` : null;
}

/**
 * What a replay changed besides its model, as the backend recorded it (`sightline.replay.changes`,
 * `; `-separated: `system prompt`, `parameters temperature=0.9`, `tool results supplied`...); empty
 * for a replay on another model only, or recorded before Sightline noted it.
 */
export function changesOf(metadata: readonly { key: string; value: string }[]): string[] {
  const text = metadata.find((m) => m.key === 'sightline.replay.changes')?.value ?? '';
  return text
    .split('; ')
    .map((s) => s.trim())
    .filter(Boolean);
}
