import { Inject, Injectable } from '@nestjs/common';
import type { LiveEvent, RedactionSettingsState, SightlineEvent } from '@sightline/schemas';
import { ControlPlane } from '../control/control-plane';
import type { RequestBody } from '../gateway/request-body';
import { REDACTED } from '../security/redact';
import { redactEvent } from '../security/redact-event';
import { API_KEY, CARD, EMAIL } from './builtin-rules';
import { mapText, type TextRedactor } from '../security/redact-free-text';
import { projectRedactor } from './project-rules';

/**
 * Members of a provider request that the provider reads as names, kinds or ids: forwarded as sent,
 * so a rule never breaks the call's shape (roles, tool names, model).
 */
const WIRE_STRUCTURAL = new Set([
  'model',
  'role',
  'type',
  'id',
  'name',
  'tool_call_id',
  'call_id',
  'tool_use_id',
  'tool_choice',
]);

/**
 * Each project's redaction rules as the control plane holds them, compiled once per change.
 * Recording redacts every event with them; the gateway asks for the body it forwards.
 */
@Injectable()
export class ProjectRedaction {
  private readonly compiled = new WeakMap<RedactionSettingsState, { redact: TextRedactor | undefined }>();

  constructor(@Inject(ControlPlane) private readonly control: ControlPlane) {}

  /** `event` as it may be recorded: credentials masked, then its project's rules applied. */
  event<E extends SightlineEvent | LiveEvent>(event: E): E {
    return redactEvent(event, this.rulesOf(this.settingsOf(event.projectId)));
  }

  /**
   * The body the gateway sends the provider: `body` itself unless the project chose to redact what
   * it forwards, else a copy with its rules applied to every text (not to {@link WIRE_STRUCTURAL}).
   */
  forwarded(projectId: string, body: RequestBody): RequestBody {
    const settings = this.settingsOf(projectId);
    const redact = settings?.redactForwarded ? this.rulesOf(settings) : undefined;
    if (!redact) return body;
    const json = mapText(body.json, redact, WIRE_STRUCTURAL);
    return { json, bytes: Buffer.from(JSON.stringify(json)) };
  }

  /**
   * The texts redaction puts in place of what it masked in this project's events: `[REDACTED]`
   * (credentials), the built-in rules' tokens (whether on now or not: older events may carry them)
   * and its custom rules' replacements of 3 characters or more (shorter ones could be ordinary text).
   */
  maskTokens(projectId: string): string[] {
    const custom = (this.settingsOf(projectId)?.customRules ?? [])
      .map((r) => r.replacement.trim())
      .filter((r) => r.length >= 3);
    return [...new Set([REDACTED, EMAIL, CARD, API_KEY, ...custom])];
  }

  private settingsOf(projectId: string): RedactionSettingsState | undefined {
    return this.control.current.redaction.get(projectId);
  }

  private rulesOf(settings: RedactionSettingsState | undefined): TextRedactor | undefined {
    if (!settings) return undefined;
    let entry = this.compiled.get(settings);
    if (!entry) this.compiled.set(settings, (entry = { redact: projectRedactor(settings) }));
    return entry.redact;
  }
}
