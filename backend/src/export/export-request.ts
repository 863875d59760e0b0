import { coerceInputValue, isInputType, type GraphQLSchema } from 'graphql';
import type { Filter } from '../analytics/filter';
import { validateFilter } from '../analytics/filter';
import { InvalidInputError } from '../common/errors';
import { exportColumns, type ExportKind } from './export-columns';
import { EXPORT_FORMATS, type ExportFormat } from './export-format';

/** An export as asked for, checked. */
export interface ExportRequest {
  readonly kind: ExportKind;
  readonly format: ExportFormat;
  readonly columns: readonly string[];
  readonly filter: Filter;
  /** The project, for sessions (API keys have theirs). */
  readonly projectId: string | undefined;
}

/** The fields of a request, from the query string (GET) or a JSON body (POST). */
export interface ExportFields {
  readonly format?: unknown;
  readonly columns?: unknown;
  readonly filter?: unknown;
  readonly projectId?: unknown;
}

const bad = (message: string, reason: string, param: string) => new InvalidInputError(message, reason, param);

function kindOf(kind: string): ExportKind {
  if (kind === 'traces' || kind === 'generations') return kind;
  throw bad('export traces or generations', 'unknown_export', 'kind');
}

function formatOf(format: unknown): ExportFormat {
  if (format === undefined) return 'csv';
  if (EXPORT_FORMATS.includes(format as ExportFormat)) return format as ExportFormat;
  throw bad(`format: must be ${EXPORT_FORMATS.join(' or ')}`, 'invalid_format', 'format');
}

/** A list (JSON) or a comma-separated text (query string). */
function columnsOf(columns: unknown): string[] | undefined {
  if (columns === undefined || columns === '') return undefined;
  if (typeof columns === 'string') return columns.split(',').map((c) => c.trim());
  if (Array.isArray(columns) && columns.every((c) => typeof c === 'string')) return columns as string[];
  throw bad('columns: must be a list of field names', 'invalid_columns', 'columns');
}

/**
 * The filter as the GraphQL input type `TraceFilter` / `GenerationFilter` would take it (the same
 * type, coerced by graphql-js: unknown fields, wrong types and unknown enum values are refused),
 * then checked like every list's filter. JSON text in a query string, an object in a body.
 */
function filterOf(filter: unknown, kind: ExportKind, schema: GraphQLSchema): Filter {
  if (filter === undefined || filter === '') return {};
  let value = filter;
  if (typeof filter === 'string') {
    try {
      value = JSON.parse(filter);
    } catch {
      throw bad('filter: must be JSON', 'invalid_filter', 'filter');
    }
  }
  const type = schema.getType(kind === 'traces' ? 'TraceFilter' : 'GenerationFilter');
  if (!type || !isInputType(type)) throw new Error(`the schema has no filter input for ${kind}`);
  const coerced = coerceInputValue(value, type, (path, _invalid, error) => {
    const field = ['filter', ...path].join('.');
    throw bad(`${field}: ${error.message}`, 'invalid_filter', field);
  }) as Filter;
  validateFilter(coerced);
  return coerced;
}

/**
 * Checks an export request.
 * @throws InvalidInputError `unknown_export`, `invalid_format`, `invalid_columns`, `unknown_column`,
 *   `invalid_filter`, `invalid_project` (param names the field)
 */
export function parseExportRequest(kind: string, fields: ExportFields, schema: GraphQLSchema): ExportRequest {
  const exportKind = kindOf(kind);
  const { projectId } = fields;
  if (projectId !== undefined && typeof projectId !== 'string')
    throw bad('projectId: must be a string', 'invalid_project', 'projectId');
  return {
    kind: exportKind,
    format: formatOf(fields.format),
    columns: exportColumns(exportKind, columnsOf(fields.columns)),
    filter: filterOf(fields.filter, exportKind, schema),
    projectId: projectId || undefined,
  };
}
