import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { GRAPHQL_SCHEMA_DIR } from '@sightline/schemas';
import { join } from 'node:path';
import { AppConfig } from '../config/app-config';
import type { GraphqlContext } from './graphql-context';

/** Schema-first GraphQL on `/graphql`: queries over HTTP, subscriptions over graphql-ws on the same port. */
@Module({
  imports: [
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        typePaths: [join(GRAPHQL_SCHEMA_DIR, '*.graphql')],
        path: '/graphql',
        subscriptions: { 'graphql-ws': { path: '/graphql' } },
        context: ({ req, extra }: GraphqlContext): GraphqlContext => ({ req, extra }),
        introspection: !config.production,
        playground: false,
      }),
    }),
  ],
})
export class ApiGraphqlModule {}
