import type { Logger } from '@nestjs/common';
import type { Subscription } from './event-log';

const RESTART_DELAY_MS = 1000;

/**
 * Keeps a consumer running: when its subscription crashes (a failed batch), it starts again from
 * the last commit after a pause, until stopped. Retried batches rely on their dedup tokens.
 */
export class Supervised {
  private subscription: Subscription | undefined;
  private stopping = false;

  constructor(
    private readonly start: () => Promise<Subscription>,
    private readonly logger: Logger,
  ) {}

  async run(): Promise<void> {
    this.subscription = await this.start();
    this.subscription.done.catch((error: Error) => this.restartAfter(error));
  }

  private restartAfter(error: Error): void {
    if (this.stopping) return;
    this.logger.error(`consumer failed, restarting from the last commit: ${error.message}`);
    setTimeout(() => {
      if (!this.stopping) this.run().catch((e: Error) => this.restartAfter(e));
    }, RESTART_DELAY_MS).unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.stop();
  }
}
