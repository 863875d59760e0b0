import { Inject } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { controlEvent } from '../../control/control-events';
import { ControlPlane } from '../../control/control-plane';
import { decide, type ControlCommand } from '../../control/decide/decide';

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
}
