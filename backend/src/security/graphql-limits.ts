import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { operationCost, type OperationToRun } from './graphql-cost';
import { isTokenLimitError } from './graphql-token-limit';
import { assertNever } from '../common/assert-never';
import { InvalidInputError } from '../common/errors';
import { graphqlErrorOf } from '../graphql/graphql-errors';
import { coded, variableErrors } from '../graphql/ws-error-codes';

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

export interface GraphqlLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  /** See {@link operationCost}: from the values the operation runs with, variables included. */
  readonly maxCost: number;
  /** The most items one `first`/`last` may ask for, on any field (BAD_USER_INPUT above). */
  readonly maxPageSize: number;
}

export type GraphqlLimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

const tokenLimitMessage = (maxTokens: number): string => `Token limit of ${maxTokens} exceeded.`;

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
  maxCost: 5000,
  maxPageSize: 200,
};

/** A document over one of the limits; rejected before execution. */
export class QueryTooComplexError extends GraphQLError {
  constructor(
    readonly limit: GraphqlLimitName,
    message: string,
  ) {
    super(message, { extensions: { code: QUERY_TOO_COMPLEX, limit } });
    this.name = 'QueryTooComplexError';
  }
}

/** Spread into the Apollo options (`ApolloDriverConfig` for Nest). */
export interface GraphqlProtection {
  readonly plugins: ApolloServerPlugin[];
  readonly validationRules: ValidationRule[];
  readonly parseOptions: ParseOptions;
  readonly allowBatchedHttpRequests: false;
}

export interface GraphqlLimitsOptions {
  /** Also masks "Did you mean …?" field suggestions, which leak the schema when introspection is off. */
  readonly production: boolean;
  readonly limits?: Partial<GraphqlLimits>;
}

/** Introspection (and so schema discovery) only outside production. */
export function introspectionEnabled(production: boolean): boolean {
  return !production;
}

/**
 * Depth, alias and directive limits as graphql-armor validation rules, the token limit as graphql-js's
 * own `maxTokens` parse option, and the cost and page-size limits once the operation and its variables
 * are known (graphql-armor's cost limit reads literals only: `first: $n` would cost nothing).
 * graphql-armor's Apollo token plugin is not used: it throws from a plugin hook, which Apollo answers
 * with HTTP 500 (and `executeOperation` rethrows).
 * Every rejection answers HTTP 400: `extensions.code` QUERY_TOO_COMPLEX with `extensions.limit`, or
 * BAD_USER_INPUT for a page size over {@link GraphqlLimits.maxPageSize}.
 */
export function graphqlLimits(options: GraphqlLimitsOptions): GraphqlProtection {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.limits };
  const armor = new ApolloArmor(armorConfig(limits, options.production)).protect();
  return {
    plugins: [...armor.plugins, tooComplexCodePlugin(limits.maxTokens), operationCostPlugin(limits)],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: false,
  };
}

/** The cost and page-size verdict on an operation about to run, as the error to answer with. */
function costError(operation: OperationToRun, limits: GraphqlLimits): GraphQLError | undefined {
  const verdict = operationCost(operation, limits);
  switch (verdict.kind) {
    case 'ok':
      return undefined;
    case 'page_too_large': {
      const { argument, field, value } = verdict.page;
      const message = `\`${argument}\` of ${field} must be at most ${limits.maxPageSize}, got ${value}.`;
      return graphqlErrorOf(new InvalidInputError(message, 'invalid_page_size', argument));
    }
    case 'too_costly':
      return new QueryTooComplexError(
        'cost',
        `Query cost limit of ${limits.maxCost} exceeded, found ${verdict.cost}.`,
      );
    default:
      return assertNever(verdict);
  }
}

/** Over HTTP: after Apollo resolved the operation, before it coerces variables and executes. */
function operationCostPlugin(limits: GraphqlLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request }) {
          const error = costError({ schema, document, ...request }, limits);
          if (!error) return;
          // Apollo answers an error thrown here with its `extensions.http` status (and strips it).
          throw new GraphQLError(error.message, {
            originalError: error,
            extensions: { ...error.extensions, http: { status: 400 } },
          });
        },
      };
    },
  };
}

/** A fresh config per call: ApolloArmor mutates the one it is given. */
function armorConfig(limits: GraphqlLimits, production: boolean): ArmorConfig {
  const reject = (limit: GraphqlLimitName) => ({ propagateOnRejection: false, onReject: [reporter(limit)] });
  return {
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
    // Fragments are flattened so a spread is not counted as one more level.
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reject('depth') },
    maxAliases: { n: limits.maxAliases, ...reject('aliases') },
    maxDirectives: { n: limits.maxDirectives, ...reject('directives') },
    costLimit: { enabled: false },
  };
}

function reporter(limit: GraphqlLimitName): RejectCallback {
  return (context, error) => {
    // graphql-armor prefixes "Syntax Error: " although these are validation failures.
    context?.reportError(new QueryTooComplexError(limit, error.message.replace(/^Syntax Error: /, '')));
  };
}

/**
 * Apollo wraps validation and parse errors and overwrites their `extensions.code` with its own
 * (GRAPHQL_VALIDATION_FAILED / GRAPHQL_PARSE_FAILED); this puts ours back before the response is sent.
 */
function tooComplexCodePlugin(maxTokens: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let tokenLimitError: Error | undefined;
      return {
        async parsingDidStart({ source }) {
          return async (error) => {
            if (error && isTokenLimitError(error, source, maxTokens)) tokenLimitError = error;
          };
        },
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            const cause = error.originalError;
            if (cause instanceof QueryTooComplexError) {
              error.extensions.code = QUERY_TOO_COMPLEX;
            } else if (cause && cause === tokenLimitError) {
              error.extensions.code = QUERY_TOO_COMPLEX;
              error.extensions.limit = 'tokens';
              error.message = tokenLimitMessage(maxTokens); // the same wording as over graphql-ws
            }
          }
        },
      };
    },
  };
}

/** The graphql-ws `onSubscribe` hook (a key `@nestjs/graphql` passes through to `useServer`). */
export type GraphqlWsOnSubscribe = (
  ctx: unknown,
  id: string,
  payload: {
    readonly query: string;
    readonly variables?: Readonly<Record<string, unknown>> | null;
    readonly operationName?: string | null;
  },
) => readonly GraphQLError[] | undefined;

/**
 * The same limits for operations sent over graphql-ws, which bypass Apollo's parse and validation.
 * A rejected document gets an `error` message for its operation; graphql-ws's own parse would instead
 * throw on a syntax error and close the whole socket (4500). Accepted documents return undefined, so
 * graphql-ws goes on as usual (it parses them again: cheap next to running a subscription).
 */
export function graphqlWsLimits(
  options: GraphqlLimitsOptions,
  schema: () => GraphQLSchema,
): GraphqlWsOnSubscribe {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.limits };
  const { validationRules } = graphqlLimits(options);
  return (_ctx, _id, { query, variables, operationName }) => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: limits.maxTokens });
    } catch (error) {
      if (isTokenLimitError(error, query, limits.maxTokens)) {
        return [new QueryTooComplexError('tokens', tokenLimitMessage(limits.maxTokens))];
      }
      if (error instanceof GraphQLError) return coded([error], 'GRAPHQL_PARSE_FAILED');
      throw error;
    }
    const errors = validate(schema(), document, [...specifiedRules, ...validationRules]);
    if (errors.length) return coded(errors, 'GRAPHQL_VALIDATION_FAILED');
    const wrongVariables = variableErrors(schema(), document, operationName, variables);
    if (wrongVariables.length) return coded(wrongVariables, 'BAD_USER_INPUT');
    const tooCostly = costError({ schema: schema(), document, variables, operationName }, limits);
    return tooCostly ? [tooCostly] : undefined;
  };
}
