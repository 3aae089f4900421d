/** What the executor remembers per inventory host across tasks and plays. */
import type { Connection } from '../connection/types';
import type { TaskResult } from '../events/types';

export class HostState {
  /** gathered facts (ansible_facts) */
  facts: Record<string, unknown> = {};
  /** set_fact and register results: outrank play and task vars, survive across plays */
  hostVars: Record<string, unknown> = {};
  /** unhandled failure: the host runs nothing more in this play (nor, as in Ansible, later plays) */
  failed = false;
  unreachable = false;
  /** failure recorded inside a block whose rescue will handle it (not yet counted in the recap) */
  pendingRescue?: { task: TaskResult; result: TaskResult };
  /** handler names/topics notified and not yet run */
  readonly notified = new Set<string>();
  /** ended by meta: end_host / end_play */
  ended = false;
  connection?: Connection;

  constructor(
    readonly name: string,
    /** inventory variables (group vars < host vars), as written */
    public inventoryVars: Record<string, unknown>,
    /** groups the host belongs to (without all/ungrouped) */
    public groupNames: string[],
  ) {}

  /** module facts (setup, ...): stored without the `ansible_` prefix, as ansible_facts holds them */
  mergeFacts(facts: Record<string, unknown>): void {
    for (const [key, value] of Object.entries(facts)) this.facts[key.replace(/^ansible_/, '')] = value;
  }

  get active(): boolean {
    return !this.failed && !this.unreachable && !this.ended;
  }
}
