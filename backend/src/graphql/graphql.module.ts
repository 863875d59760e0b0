import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { GRAPHQL_SCHEMA_DIR } from '@sightline/schemas';
import type { GraphQLSchema } from 'graphql';
import { join } from 'node:path';
import { CallerResolver } from '../auth/caller';
import { AppConfig } from '../config/app-config';
import { plannedSubscribe } from '../live/planned-subscribe';
import { graphqlLimits, graphqlWsLimits, introspectionEnabled } from '../security/graphql-limits';
import type { GraphqlContext } from './graphql-context';
import { formatGraphqlError } from './graphql-errors';
import { subscriptionsOverWebSocketOnly } from './http-subscriptions';
import { authenticateConnection, refuseUnauthenticated } from './ws-connection-auth';

/** Schema-first GraphQL on `/graphql`: queries over HTTP, subscriptions over graphql-ws on the same port. */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig, CallerResolver],
      useFactory: (config: AppConfig, callers: CallerResolver) => {
        // Depth, alias, directive, token and cost limits: rejected before execution (QUERY_TOO_COMPLEX).
        const limitsOptions = { production: config.production };
        const limits = graphqlLimits(limitsOptions);
        let schema: GraphQLSchema | undefined;
        return {
          ...limits,
          plugins: [...limits.plugins, subscriptionsOverWebSocketOnly],
          typePaths: [join(GRAPHQL_SCHEMA_DIR, '*.graphql')],
          path: '/graphql',
          transformSchema: (built: GraphQLSchema) => (schema = built),
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              onConnect: authenticateConnection(callers),
              onSubscribe: refuseUnauthenticated(
                callers,
                graphqlWsLimits(limitsOptions, () => schema!),
              ),
              // Each event's response planned once per subscription, not executed per event.
              subscribe: plannedSubscribe,
            },
          },
          context: ({ req, extra, connectionParams }: GraphqlContext): GraphqlContext => ({
            req,
            extra,
            connectionParams,
          }),
          introspection: introspectionEnabled(config.production),
          // Stack traces go to the server log; only the development flag adds them to answers.
          includeStacktraceInErrorResponses: config.debugStackTraces,
          formatError: formatGraphqlError,
          playground: false,
        };
      },
    }),
  ],
  // The built schema (GraphQLSchemaHost) for REST endpoints that take GraphQL input types.
  exports: [GraphQLModule],
})
export class ApiGraphqlModule {}
