/**
 * The bundled engine: our executor over ssh2, no Python or Ansible on either side. Loads the inventory,
 * configures the connection pool (host key policy, prompts, default key) and runs the playbook.
 */
import { ConnectionPool } from '../../connection/ssh';
import { executePlaybook } from '../../executor/playbook';
import type { Engine, RunOptions } from '../types';
import { openInventory } from './inventory';

export const bundledEngine: Engine = {
  name: 'bundled',
  async run(options: RunOptions): Promise<number> {
    let inventory;
    try {
      inventory = openInventory(options.inventories, options.playbook);
    } catch (error) {
      options.events.emit({ event: 'error', message: (error as Error).message });
      options.events.emit({ event: 'playbook_on_stats', stats: {}, rc: 4 });
      return 4;
    }
    const pool = new ConnectionPool({
      hostKeyPolicy: options.hostKeyPolicy,
      hostKeyPrompt: options.hostKeyPrompt,
      passphrasePrompt: options.passphrasePrompt,
      ...(options.knownHosts ? { knownHostsFiles: [options.knownHosts] } : {}),
      ...(options.privateKey ? { keyFiles: [options.privateKey] } : {}),
    });
    return executePlaybook(options, { inventory, pool });
  },
};
