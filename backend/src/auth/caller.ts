import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/** Who is calling: every handler gets its project from here, never from the request body. */
export interface Caller {
  readonly projectId: string;
}

/**
 * The one place that turns a request (HTTP or a graphql-ws connection) into a Caller.
 * Until API keys and sessions exist, every caller belongs to the default project.
 */
@Injectable()
export class CallerResolver {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  resolve(_request: unknown): Caller {
    return { projectId: this.config.defaultProjectId };
  }
}
