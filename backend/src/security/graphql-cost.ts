import { getOperationAST, getVariableValues, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';

/**
 * Cost counts rows: an object costs 2 plus its selections, a scalar 0.1 (a column of a row already
 * read), and each item of a paged field is an object (2 plus its selections) times the page size.
 * Depth alone does not compound, so a max page of a list's own rows stays well under the limit (the
 * app's `Traces` at `first: 200` costs 2,082 of 5,000); pages inside pages multiply
 * (`sessions(first: 50) { traces(first: 50) }` is 2,500 rows: 16,157). Counted in tenths, so sums
 * stay exact integers.
 */
const TENTHS = 10;
const SCALAR_COST = 1;
const OBJECT_COST = 20;
/** Arguments that say how many items a list field answers. */
const PAGE_ARGUMENTS = ['first', 'last'] as const;

export interface OperationToRun {
  readonly schema: GraphQLSchema;
  readonly document: DocumentNode;
  readonly variables?: Readonly<Record<string, unknown>> | null;
  readonly operationName?: string | null;
}

export interface CostLimits {
  readonly maxCost: number;
  /** The most items one paged field (`first`/`last`) may answer. */
  readonly maxPageSize: number;
}

/** May the operation run: yes, not with a page that large, or not at that cost. */
export type CostVerdict =
  | { readonly kind: 'ok'; readonly cost: number }
  | { readonly kind: 'page_too_large'; readonly page: PageSize }
  | { readonly kind: 'too_costly'; readonly cost: number };

export interface PageSize {
  /** `Type.field`, e.g. `Query.generations`. */
  readonly field: string;
  readonly argument: string;
  readonly value: number;
}

/**
 * The cost of the operation that will run, from the argument values it will run with: literals,
 * variables and their defaults, schema defaults, through fragments and inline fragments, skipping
 * what `@skip`/`@include` leave out. Invalid variables cost nothing here: execution refuses them.
 */
export function operationCost(operation: OperationToRun, limits: CostLimits): CostVerdict {
  if (!variablesCoerce(operation)) return { kind: 'ok', cost: 0 };
  const pages: PageSize[] = [];
  const estimator: ComplexityEstimator = ({ type, field, node, args, childComplexity }) => {
    if (field.name.startsWith('__')) return 0; // introspection: off in production, a fixed shape otherwise
    if (!node.selectionSet) return SCALAR_COST;
    let multiplier: number | null = null;
    for (const argument of PAGE_ARGUMENTS) {
      const value: unknown = args[argument];
      if (typeof value !== 'number') continue;
      pages.push({ field: `${type.name}.${field.name}`, argument, value });
      multiplier = Math.max(multiplier ?? 1, value);
    }
    // A paged field's items are objects each (a row), whatever the list's shape.
    return multiplier === null
      ? OBJECT_COST + childComplexity
      : OBJECT_COST + (OBJECT_COST + childComplexity) * multiplier;
  };
  const tenths = getComplexity({
    schema: operation.schema,
    query: operation.document,
    variables: { ...operation.variables },
    operationName: operation.operationName ?? undefined,
    estimators: [estimator],
  });
  const cost = Math.ceil(tenths / TENTHS);
  const tooLarge = pages.find((page) => page.value > limits.maxPageSize);
  if (tooLarge) return { kind: 'page_too_large', page: tooLarge };
  return cost > limits.maxCost ? { kind: 'too_costly', cost } : { kind: 'ok', cost };
}

function variablesCoerce({ schema, document, variables, operationName }: OperationToRun): boolean {
  const operation = getOperationAST(document, operationName);
  if (!operation) return false;
  return !getVariableValues(schema, operation.variableDefinitions ?? [], { ...variables }).errors;
}
