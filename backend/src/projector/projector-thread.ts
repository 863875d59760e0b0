import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';

/** What the projector's thread says to its owner (see `projector-main.ts`). */
export type ProjectorThreadMessage =
  { readonly type: 'ready' } | { readonly type: 'failed'; readonly error: string };

/** Restart delays after an unexpected exit: 1 s doubling to 30 s; a thread up for a minute starts again at 1 s. */
const FIRST_RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
const HEALTHY_AFTER_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Runs the projector role on a worker thread of this process (`PROJECTOR_THREAD=1`). The thread
 * opens the same event log and ClickHouse (chDB allows several connections to one data folder in a
 * process), so the gateway's event loop never waits for a batch to be projected. Start-up fails if
 * the thread cannot start; a thread that dies later is restarted with backoff (batches are
 * effectively-once, so a restart repeats nothing). Stopped before the rest of the app shuts down.
 */
@Injectable()
export class ProjectorThread implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectorThread.name);
  private worker: Worker | undefined;
  private stopping = false;
  private restartMs = FIRST_RESTART_MS;
  private cancelRestart: (() => void) | undefined;

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.cancelRestart?.();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' });
    const cancel = this.clock.timer(STOP_TIMEOUT_MS, () => void worker.terminate());
    await exited;
    cancel();
  }

  /** Resolves once the thread's projector runs; rejects with the thread's start-up error. */
  private start(): Promise<void> {
    const worker = new Worker(join(__dirname, '..', 'projector-main.js'), {
      env: this.config.projectorThreadEnv(),
    });
    this.worker = worker;
    const startedAt = this.clock.now().getTime();
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: ProjectorThreadMessage) => {
        if (message.type === 'ready') {
          ready = true;
          resolve();
        } else if (!ready) reject(new Error(`the projector thread failed to start: ${message.error}`));
        else this.logger.error(`projector thread: ${message.error}`);
      });
      worker.on('error', (error) => (ready ? this.logger.error(error) : reject(error)));
      worker.on('exit', (code) => {
        if (!ready)
          return reject(new Error(`the projector thread exited with code ${code} before it started`));
        if (!this.stopping) this.restartAfterCrash(code, startedAt);
      });
    });
  }

  private restartAfterCrash(code: number, startedAt: number): void {
    if (this.clock.now().getTime() - startedAt > HEALTHY_AFTER_MS) this.restartMs = FIRST_RESTART_MS;
    this.logger.error(`the projector thread exited (code ${code}); restarting in ${this.restartMs} ms`);
    this.cancelRestart = this.clock.timer(this.restartMs, () => {
      this.start().catch((error: Error) => this.logger.error(error.message));
    });
    this.restartMs = Math.min(this.restartMs * 2, MAX_RESTART_MS);
  }
}
