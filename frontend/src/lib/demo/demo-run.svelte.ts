// The demo traffic run of the current project: started from the first-run page, followed by polling
// once a second while it runs (the first-run card and the banner above the traces list each follow it).
import { graphqlRequest } from '$lib/graphql/client';
import {
  CancelDemoTrafficDocument,
  DemoTrafficDocument,
  StartDemoTrafficDocument,
  type DemoRunFieldsFragment,
} from '$lib/graphql/generated';
import { Action } from '$lib/loading.svelte';

const POLL_MS = 1000;

export class DemoRun {
  run = $state<DemoRunFieldsFragment | null>(null);
  readonly action = new Action();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly projectId: string,
    /** Told each time the run is read again, with what it was before. */
    private readonly onchange: (
      next: DemoRunFieldsFragment | null,
      previous: DemoRunFieldsFragment | null,
    ) => void = () => {},
  ) {}

  #set(next: DemoRunFieldsFragment | null): void {
    const previous = this.run;
    this.run = next;
    this.onchange(next, previous);
  }

  get running(): boolean {
    return this.run?.status === 'RUNNING';
  }

  /** Share of the steps ended, 0–1. */
  get fraction(): number {
    return this.run && this.run.total ? this.run.done / this.run.total : 0;
  }

  /** Reads the project's latest run and follows it while it runs. */
  async watch(): Promise<void> {
    this.#set((await graphqlRequest(DemoTrafficDocument, { projectId: this.projectId })).demoTraffic ?? null);
    this.#follow();
  }

  start(again = false): Promise<boolean> {
    return this.action.run(async () => {
      const { startDemoTraffic } = await graphqlRequest(StartDemoTrafficDocument, {
        projectId: this.projectId,
        again,
      });
      this.#set(startDemoTraffic);
      this.#follow();
    });
  }

  cancel(): Promise<boolean> {
    return this.action.run(async () => {
      this.#set(
        (await graphqlRequest(CancelDemoTrafficDocument, { projectId: this.projectId })).cancelDemoTraffic,
      );
    });
  }

  stop(): void {
    clearTimeout(this.#timer);
  }

  #follow(): void {
    clearTimeout(this.#timer);
    if (!this.running) return;
    this.#timer = setTimeout(() => void this.watch().catch(() => this.#follow()), POLL_MS);
  }
}

/** `12 of 30 steps · 18 traces · 3 planned errors · about 25 s left`. */
export function demoProgressText(run: DemoRunFieldsFragment): string {
  const parts = [`${run.done} of ${run.total} steps`, `${run.traces} traces`];
  if (run.plannedErrors) parts.push(`${run.plannedErrors} planned errors`);
  if (run.unexpectedErrors) parts.push(`${run.unexpectedErrors} unexpected errors`);
  if (run.etaSeconds !== null && run.etaSeconds !== undefined && run.status === 'RUNNING')
    parts.push(run.etaSeconds > 0 ? `about ${run.etaSeconds} s left` : 'finishing');
  return parts.join(' · ');
}
