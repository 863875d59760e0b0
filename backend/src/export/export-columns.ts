import { InvalidInputError } from '../common/errors';
import type { GenerationView } from '../generations/generation.view';
import type { TraceView } from '../traces/trace.view';

/** What an export lists: the rows of the traces list or of the generations list. */
export type ExportKind = 'traces' | 'generations';

/** The fields of the GraphQL `Trace` and `Generation` a caller may choose, in their default order. */
const TRACE_FIELDS = [
  'id',
  'name',
  'startedAt',
  'endedAt',
  'latencyMs',
  'spanCount',
  'generationCount',
  'errorCount',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'totalCost',
  'unpricedCount',
  'userId',
  'sessionId',
  'tags',
  'inputPreview',
  'outputPreview',
  'rootSpanId',
  'orphanCount',
  'release',
  'version',
  'environment',
  'projectId',
] as const satisfies readonly (keyof TraceView)[];

const GENERATION_FIELDS = [
  'id',
  'traceId',
  'startedAt',
  'endedAt',
  'status',
  'source',
  'provider',
  'model',
  'servedModel',
  'latencyMs',
  'timeToFirstTokenMs',
  'outputTokensPerSecond',
  'inputTokens',
  'outputTokens',
  'totalTokens',
  'usageSource',
  'usageTokenizer',
  'cost',
  'costBreakdown',
  'priceVersion',
  'costFlags',
  'sessionId',
  'tags',
  'metadata',
  'input',
  'output',
  'choices',
  'toolCalls',
  'finishReason',
  'errorMessage',
  'streamed',
  'cacheHit',
  'spanId',
  'projectId',
] as const satisfies readonly (keyof GenerationView)[];

/** Every column of each kind, in default order. */
export const EXPORT_COLUMNS: Readonly<Record<ExportKind, readonly string[]>> = {
  traces: TRACE_FIELDS,
  generations: GENERATION_FIELDS,
};

/** What an export has when the caller names no columns: what the lists show, without the ids of internals. */
const DEFAULT_COLUMNS: Readonly<Record<ExportKind, readonly string[]>> = {
  traces: TRACE_FIELDS.slice(0, TRACE_FIELDS.indexOf('rootSpanId')),
  generations: [
    ...GENERATION_FIELDS.slice(0, GENERATION_FIELDS.indexOf('servedModel')),
    'latencyMs',
    'timeToFirstTokenMs',
    'inputTokens',
    'outputTokens',
    'totalTokens',
    'cost',
    'sessionId',
    'tags',
    'input',
    'output',
    'errorMessage',
  ],
};

/**
 * The columns of an export: `requested` (field names of `Trace` / `Generation`, in the caller's
 * order), or the kind's defaults when none are named.
 * @throws InvalidInputError `unknown_column` (param `columns`) for a name the kind does not have,
 *   `invalid_columns` for a name given twice
 */
export function exportColumns(kind: ExportKind, requested: readonly string[] | undefined): readonly string[] {
  if (!requested?.length) return DEFAULT_COLUMNS[kind];
  const known = new Set(EXPORT_COLUMNS[kind]);
  const unknown = requested.filter((c) => !known.has(c));
  if (unknown.length)
    throw new InvalidInputError(
      `columns: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => JSON.stringify(c)).join(', ')}; ${kind} have: ${EXPORT_COLUMNS[kind].join(', ')}`,
      'unknown_column',
      'columns',
    );
  if (new Set(requested).size !== requested.length)
    throw new InvalidInputError('columns: each column may be named once', 'invalid_columns', 'columns');
  return requested;
}
