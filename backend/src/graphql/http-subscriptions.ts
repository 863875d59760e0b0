import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

/**
 * A subscription sent over HTTP is refused (400, BAD_USER_INPUT `subscription_over_http`): they run
 * over graphql-ws on the same path. Apollo would execute it once and answer INTERNAL_SERVER_ERROR.
 */
export const subscriptionsOverWebSocketOnly: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation }) {
        if (operation?.operation !== 'subscription') return;
        throw new GraphQLError(
          'Subscriptions run over graphql-ws (graphql-transport-ws) on /graphql, not over HTTP',
          {
            extensions: { code: 'BAD_USER_INPUT', reason: 'subscription_over_http', http: { status: 400 } },
          },
        );
      },
    };
  },
};
