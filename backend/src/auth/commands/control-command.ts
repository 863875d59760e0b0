import { Inject } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { controlEvent } from '../../control/control-events';
import { ControlPlane } from '../../control/control-plane';
import { evolve, type ControlState } from '../../control/control-state';
import { decide, type ControlCommand } from '../../control/decide/decide';
import type { OnceRequest } from '../../control/idempotency';
import { Idempotency } from '../../control/idempotent-mutations';

/** Decide against the current state and append the events together (again on a lost race). */
export async function decideAndAppend(control: ControlPlane, command: ControlCommand): Promise<void> {
  await control.execute((state) => ({
    events: decide(command, state).map((e) => controlEvent(command.actor, command.now, e)),
    result: undefined,
  }));
}

/**
 * What every accounts command handler shares: it makes what is random or slow (ids, secrets,
 * password hashes), then lets the control plane decide (`control/decide/`) and append.
 */
export abstract class ControlCommandHandler {
  /** Property-injected, so that subclasses with their own constructors need not pass it on. */
  @Inject(Idempotency) private readonly idempotency!: Idempotency;

  constructor(
    @Inject(ControlPlane) protected readonly control: ControlPlane,
    @Inject(Clock) protected readonly clock: Clock,
  ) {}

  protected get state() {
    return this.control.current;
  }

  protected append(command: ControlCommand): Promise<void> {
    return decideAndAppend(this.control, command);
  }

  /**
   * `append`, once per idempotency key (`once`; undefined: no key). Returns `read` of the state the
   * events lead to; a retry gets the first call's `read` (JSON) and appends nothing.
   */
  protected appendOnce<R>(
    once: OnceRequest | undefined,
    command: ControlCommand,
    read: (state: ControlState) => R,
  ): Promise<R> {
    return this.idempotency.execute(once, (state) => {
      const events = decide(command, state).map((e) => controlEvent(command.actor, command.now, e));
      return { events, result: read(events.reduce(evolve, state)) };
    });
  }
}
