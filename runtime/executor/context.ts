/** State shared by everything that runs during one playbook run. */
import type { ConnectionPool } from '../connection/ssh';
import type { Connection } from '../connection/types';
import type { EventEmitter } from '../events/emitter';
import type { RunOptions } from '../engines/types';
import type { ModuleRegistry } from '../modules/registry';
import type { HostState } from './host-state';
import type { InventoryView } from './inventory-view';
import type { RunStats } from './stats';
import type { Templar } from './templar';

export interface RunContext {
  options: RunOptions;
  events: EventEmitter;
  stats: RunStats;
  inventory: InventoryView;
  pool: ConnectionPool;
  modules: ModuleRegistry;
  templar: Templar;
  extraVars: Record<string, unknown>;
  playbookPath: string;
  playbookDir: string;
  hosts: Map<string, HostState>;
  /** localhost for delegate_to when it is not in the inventory */
  localConnection: () => Connection;
  signal: AbortSignal;
  nextTaskId(): string;
  /** async jobs this run launched (for --kill-jobs-on-cancel) */
  jobs: LaunchedJob[];
}

export interface LaunchedJob {
  connection: Connection;
  asyncDir: string;
  jid: string;
  host: string;
  taskId: string;
  task: string;
}
