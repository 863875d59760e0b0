import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { Actor } from '@sightline/schemas';
import type { AddressInfo } from 'node:net';
import { CreateApiKeyCommand, RevokeApiKeyCommand } from '../auth/commands/api-keys.commands';
import { randomId } from '../control/credentials';
import { DemoHttp } from './demo-http';
import { DEMO_DURATION_MS, demoPlan } from './demo-plan';
import { runDemo, type DemoCounts, type DemoDoors } from './demo-run';

export type DemoStatus = 'running' | 'completed' | 'cancelled' | 'failed';

/** One run of demo traffic in a project, as its progress is shown. */
export interface DemoRun {
  readonly id: string;
  status: DemoStatus;
  readonly total: number;
  readonly counts: DemoCounts;
  readonly startedAt: Date;
  finishedAt: Date | null;
  /** Why it failed. */
  message: string | null;
}

/** The name of the project key a run sends with (revoked when it ends). */
export const DEMO_KEY_NAME = 'Demo traffic';

/**
 * A minute of demo traffic per project (`demo-plan.ts`), sent through the app's own gateway and
 * ingestion API with a project key made for the run and revoked when it ends. At most one run per
 * project at a time: starting again while one runs, or after one finished unless `again`, returns
 * that run. Runs live in this process's memory (progress is for the page that started it).
 */
@Injectable()
export class DemoTraffic implements OnApplicationShutdown {
  private readonly logger = new Logger('DemoTraffic');
  private readonly runs = new Map<string, { run: DemoRun; abort: AbortController; done: Promise<void> }>();

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(HttpAdapterHost) private readonly http: HttpAdapterHost,
  ) {}

  /** The project's latest run, if any. */
  get(projectId: string): DemoRun | undefined {
    return this.runs.get(projectId)?.run;
  }

  /** Starts a run (see the class); `durationMs` spreads it (tests use less than a minute). */
  async start(
    projectId: string,
    actor: Actor,
    again: boolean,
    durationMs = DEMO_DURATION_MS,
  ): Promise<DemoRun> {
    const current = this.runs.get(projectId);
    if (current && (current.run.status === 'running' || !again)) return current.run;
    const steps = demoPlan(randomId('demo', 4).slice(5), 7, durationMs);
    const run: DemoRun = {
      id: randomId('demo'),
      status: 'running',
      total: steps.length,
      counts: { done: 0, plannedErrors: 0, unexpected: 0, traces: 0 },
      startedAt: new Date(),
      finishedAt: null,
      message: null,
    };
    const abort = new AbortController();
    const { key, full } = await this.commands.execute(
      new CreateApiKeyCommand(actor, projectId, DEMO_KEY_NAME),
    );
    const doors: DemoDoors = new DemoHttp(this.base(), full);
    const done = runDemo(steps, doors, run.counts, abort.signal)
      .then(() => (run.status = 'completed'))
      .catch((error: unknown) => {
        if (abort.signal.aborted) return void (run.status = 'cancelled');
        [run.status, run.message] = ['failed', error instanceof Error ? error.message : String(error)];
        this.logger.warn(`demo run ${run.id} failed: ${run.message}`);
        abort.abort(); // the steps still under way
      })
      .then(async () => {
        run.finishedAt = new Date();
        await this.commands
          .execute(new RevokeApiKeyCommand(actor, projectId, key.keyId))
          .catch(() => undefined);
      });
    this.runs.set(projectId, { run, abort, done });
    return run;
  }

  /** Stops the project's running run (what was sent stays); the run, or undefined when there is none. */
  async cancel(projectId: string): Promise<DemoRun | undefined> {
    const current = this.runs.get(projectId);
    if (current?.run.status === 'running') {
      current.abort.abort(new DOMException('Demo traffic cancelled', 'AbortError'));
      await current.done;
    }
    return current?.run;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((projectId) => this.cancel(projectId)));
  }

  /** Loopback URL of this app's HTTP server. */
  private base(): string {
    const address = this.http.httpAdapter.getHttpServer().address() as AddressInfo | string | null;
    if (!address || typeof address === 'string')
      throw new Error('demo traffic needs the HTTP server listening');
    const host = ['::', '0.0.0.0'].includes(address.address) ? '127.0.0.1' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  }
}
