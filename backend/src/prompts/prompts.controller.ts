import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { CallerResolver } from '../auth/caller';
import { InvalidInputError } from '../common/errors';
import { PromptVersions, type PromptVersionView } from './prompt-versions';

const PROJECT_HEADER = 'x-sightline-project-id';

/** The REST shape: JSON fields parsed, so an app uses the messages as they are. */
function restView(v: PromptVersionView) {
  return {
    name: v.name,
    version: v.version,
    labels: v.labels,
    model: v.model,
    messages: JSON.parse(v.messages) as unknown,
    params: JSON.parse(v.params) as unknown,
    tools: v.tools === null ? null : (JSON.parse(v.tools) as unknown),
    responseFormat: v.responseFormat === null ? null : (JSON.parse(v.responseFormat) as unknown),
    commitMessage: v.commitMessage,
    createdAt: v.createdAt,
  };
}

function versionOf(text: string | undefined): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidInputError('version must be a positive integer', 'invalid_selector', 'version');
  return n;
}

/**
 * `GET /api/prompts/:name?label=production` (or `?version=3`; neither: the newest): one prompt version
 * for an app, authenticated by a project API key (or a member's session with `x-sightline-project-id`).
 * A `/` in the name may be sent as it is or URL-encoded. 404 `prompt_not_found` / `prompt_version_not_found`.
 */
@Controller('api')
export class PromptsController {
  constructor(
    @Inject(CallerResolver) private readonly callers: CallerResolver,
    @Inject(PromptVersions) private readonly prompts: PromptVersions,
  ) {}

  // A wildcard, so that a name with an unencoded `/` (`/api/prompts/support/triage`) reaches this
  // handler too instead of the framework's generic 404: Express gives its segments, decoded.
  @Get('prompts/*name')
  prompt(
    @Req() req: Request,
    @Param('name') segments: string | string[],
    @Query('label') label: string | undefined,
    @Query('version') version: string | undefined,
  ) {
    const project = req.headers[PROJECT_HEADER];
    const access = this.callers.authorize(
      this.callers.fromHttp(req),
      typeof project === 'string' ? project : undefined,
      'viewer',
    );
    const name = Array.isArray(segments) ? segments.join('/') : segments;
    return restView(
      this.prompts.get(access.projectId, name, { label: label ?? null, version: versionOf(version) }),
    );
  }
}
