/**
 * All runs the Jobs tree shows, newest first, with one change signal for the tree, the status bar and the
 * diagnostics. Pure Node: no VS Code import.
 */
import type { RunEvent } from '../../runtime/events/types';
import { RunModel, type RunNode } from './model';

export type ChangeListener = (run: RunModel | undefined) => void;

export class RunStore {
  private readonly runs: RunModel[] = [];
  private readonly listeners = new Set<ChangeListener>();

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  list(): readonly RunModel[] {
    return this.runs;
  }

  get(id: string): RunModel | undefined {
    return this.runs.find((run) => run.node.runId === id);
  }

  /** The run a node belongs to. */
  ofNode(node: { runId: string }): RunModel | undefined {
    return this.get(node.runId);
  }

  add(run: RunModel): void {
    this.runs.unshift(run);
    this.fire(run);
  }

  remove(id: string): void {
    const index = this.runs.findIndex((run) => run.node.runId === id);
    if (index >= 0) this.runs.splice(index, 1);
    this.fire(undefined);
  }

  apply(run: RunModel, event: RunEvent): void {
    if (run.apply(event)) this.fire(run);
  }

  changed(run: RunModel): void {
    this.fire(run);
  }

  /** The newest run whose process (run or attach) is still live. */
  live(): RunModel | undefined {
    return this.runs.find((run) => run.node.live);
  }

  nodes(): RunNode[] {
    return this.runs.map((run) => run.node);
  }

  private fire(run: RunModel | undefined): void {
    for (const listener of this.listeners) listener(run);
  }
}
