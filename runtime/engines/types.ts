/**
 * What both engines (the bundled executor and real ansible-playbook with our callback plugin) accept,
 * so the CLI, the journal and the VS Code tree work the same whichever runs the playbook.
 */
import type { EventEmitter } from '../events/emitter';
import type { PassphrasePrompt } from '../connection/auth';
import type { HostKeyPrompt } from '../connection/known-hosts';

export type HostKeyPolicy = 'strict' | 'accept-new' | 'prompt';

export interface RunOptions {
  playbook: string;
  inventories: string[];
  limit?: string;
  /** raw -e values: "k=v k2=v2", JSON/YAML text, or "@file" */
  extraVars: string[];
  forks: number;
  tags: string[];
  skipTags: string[];
  /** plays to run: 1-based entry numbers of the playbook file or play names (runtime/playbook/select); empty: all */
  plays?: string[];
  check: boolean;
  diff: boolean;
  /** ansible-core line to follow where versions differ, e.g. "2.14" or "2.19" */
  coreVersion: string;
  /** async_status/poll waits wake on status-file changes instead of sleeping out delay/poll */
  instantJoins: boolean;
  killJobsOnCancel: boolean;
  privateKey?: string;
  knownHosts?: string;
  hostKeyPolicy: HostKeyPolicy;
  /** asked for an unknown host key under the `prompt` policy (the CLI asks its client over JSON lines) */
  hostKeyPrompt?: HostKeyPrompt;
  /** asked for the passphrase of an encrypted key file */
  passphrasePrompt?: PassphrasePrompt;
  /** -v count */
  verbosity?: number;
  /**
   * Reads one line the user types for `pause` (the controller's terminal); absent when there is no terminal,
   * and pause then behaves as ansible-core does with a non-interactive stdin.
   */
  pauseInput?: (echo: boolean, signal: AbortSignal) => Promise<string>;
  /** ansible engine: the ansible-playbook to run (the path setting); default: $PLAYBOOK_STUDIO_ANSIBLE_PLAYBOOK, then PATH */
  ansiblePlaybook?: string;
  events: EventEmitter;
  signal: AbortSignal;
}

export interface Engine {
  readonly name: 'bundled' | 'ansible';
  /** runs the playbook and resolves to ansible-playbook's exit code (0 ok, 2 failures, 4 unreachable/parse, ...) */
  run(options: RunOptions): Promise<number>;
}
