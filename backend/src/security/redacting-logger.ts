import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { redactSecrets } from './redact';

/** Nest's console logger, with keys and tokens masked in every line it prints. */
export class RedactingLogger extends ConsoleLogger {
  protected override formatMessage(
    logLevel: LogLevel,
    message: unknown,
    pidMessage: string,
    formattedLogLevel: string,
    contextMessage: string,
    timestampDiff: string,
  ): string {
    return redactSecrets(
      super.formatMessage(logLevel, message, pidMessage, formattedLogLevel, contextMessage, timestampDiff),
    );
  }

  protected override printStackTrace(stack: string | undefined): void {
    super.printStackTrace(stack === undefined ? (stack as never) : redactSecrets(stack));
  }
}
