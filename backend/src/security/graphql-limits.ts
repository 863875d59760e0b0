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
import { isTokenLimitError } from './graphql-token-limit';

export const QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX';

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

export interface GraphqlLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxDirectives: number;
  readonly maxTokens: number;
  /** graphql-armor's static cost: objects 2, scalars 1, ×1.5 per level, × literal `first`/`last`. */
  readonly maxCost: number;
}

export type GraphqlLimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

const tokenLimitMessage = (maxTokens: number): string => `Token limit of ${maxTokens} exceeded.`;

export const DEFAULT_GRAPHQL_LIMITS: GraphqlLimits = {
  maxDepth: 10,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 2000,
  maxCost: 5000,
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
 * Depth, alias, directive and cost limits as graphql-armor validation rules, and the token limit as
 * graphql-js's own `maxTokens` parse option. graphql-armor's Apollo token plugin is not used: it throws
 * from a plugin hook, which Apollo answers with HTTP 500 (and `executeOperation` rethrows).
 * Every rejection answers HTTP 400 with `extensions.code` QUERY_TOO_COMPLEX and `extensions.limit`.
 */
export function graphqlLimits(options: GraphqlLimitsOptions): GraphqlProtection {
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.limits };
  const armor = new ApolloArmor(armorConfig(limits, options.production)).protect();
  return {
    plugins: [...armor.plugins, tooComplexCodePlugin(limits.maxTokens)],
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    allowBatchedHttpRequests: false,
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
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...reject('cost') },
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
  payload: { readonly query: string },
) => readonly GraphQLError[] | undefined;

/**
 * The same limits for operations sent over graphql-ws, which bypass Apollo's parse and validation.
 * A rejected document gets an `error` message for its operation; graphql-ws's own parse would instead
 * throw on a syntax error and close the whole socket (4500). Accepted documents return undefined, so
 * graphql-ws goes on as usual (it parses them again: cheap next to running a subscription).
 */
export function graphqlWsLimits(
  protection: GraphqlProtection,
  schema: () => GraphQLSchema,
): GraphqlWsOnSubscribe {
  const maxTokens = protection.parseOptions.maxTokens ?? DEFAULT_GRAPHQL_LIMITS.maxTokens;
  return (_ctx, _id, { query }) => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens });
    } catch (error) {
      if (isTokenLimitError(error, query, maxTokens)) {
        return [new QueryTooComplexError('tokens', tokenLimitMessage(maxTokens))];
      }
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    const errors = validate(schema(), document, [...specifiedRules, ...protection.validationRules]);
    return errors.length ? errors : undefined;
  };
}
