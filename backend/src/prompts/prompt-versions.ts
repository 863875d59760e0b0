import { Inject, Injectable } from '@nestjs/common';
import type { PromptVersionState } from '@sightline/schemas';
import { InvalidInputError, NotFoundError } from '../common/errors';
import { ControlPlane } from '../control/control-plane';
import { promptKey } from '../control/control-state';

/** A prompt version with the labels that point at it (`latest` on the newest). */
export interface PromptVersionView extends PromptVersionState {
  readonly labels: readonly string[];
}

/** A prompt of a project: its name, newest version and labels. */
export interface PromptSummary {
  readonly name: string;
  readonly latestVersion: number;
  readonly versionCount: number;
  readonly labels: readonly { readonly label: string; readonly version: number }[];
  readonly updatedAt: string;
}

/** Which version: a number, a label, or (neither) the newest. */
export interface PromptSelector {
  readonly version?: number | null;
  readonly label?: string | null;
}

/** Reads of prompts, from the control plane's state (every instance holds it). */
@Injectable()
export class PromptVersions {
  constructor(@Inject(ControlPlane) private readonly control: ControlPlane) {}

  /** The project's prompts, by name. */
  list(projectId: string): PromptSummary[] {
    const state = this.control.current;
    return [...state.promptVersions.entries()]
      .filter(([key]) => key.startsWith(`${projectId}/`))
      .map(([key, versions]) => {
        const labels = Object.entries(state.promptLabels.get(key)?.labels ?? {});
        const newest = versions.last()!;
        return {
          name: newest.name,
          latestVersion: newest.version,
          versionCount: versions.size,
          labels: labels
            .map(([label, version]) => ({ label, version }))
            .sort((a, b) => a.label.localeCompare(b.label)),
          updatedAt: newest.createdAt,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every version of one prompt, newest first. @throws NotFoundError `prompt_not_found` */
  versions(projectId: string, name: string): PromptVersionView[] {
    const key = promptKey(projectId, name);
    const versions = this.control.current.promptVersions.get(key);
    if (!versions) throw new NotFoundError('Prompt not found', 'prompt_not_found');
    return versions
      .reverse()
      .toArray()
      .map((v) => this.view(key, v, versions.last()!.version));
  }

  /**
   * One version, by number or label (`latest`: the newest), or the newest.
   * @throws NotFoundError (`prompt_not_found`, `prompt_version_not_found`), InvalidInputError
   *   `invalid_selector` when both a version and a label are given
   */
  get(projectId: string, name: string, selector: PromptSelector = {}): PromptVersionView {
    const { version, label } = selector;
    if (version != null && label != null)
      throw new InvalidInputError('Give a version or a label, not both', 'invalid_selector');
    const key = promptKey(projectId, name);
    const versions = this.control.current.promptVersions.get(key);
    if (!versions) throw new NotFoundError('Prompt not found', 'prompt_not_found');
    const newest = versions.last()!.version;
    const wanted =
      version ??
      (label && label !== 'latest' ? this.control.current.promptLabels.get(key)?.labels[label] : newest);
    const found = versions.find((v) => v.version === wanted);
    if (!found)
      throw new NotFoundError(
        label ? `Prompt '${name}' has no label '${label}'` : `Prompt '${name}' has no version ${version}`,
        'prompt_version_not_found',
      );
    return this.view(key, found, newest);
  }

  private view(key: string, version: PromptVersionState, newest: number): PromptVersionView {
    const labels = Object.entries(this.control.current.promptLabels.get(key)?.labels ?? {})
      .filter(([, v]) => v === version.version)
      .map(([label]) => label)
      .sort();
    return { ...version, labels: version.version === newest ? ['latest', ...labels] : labels };
  }
}
