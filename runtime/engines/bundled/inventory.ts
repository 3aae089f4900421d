/** The inventory the executor sees: runtime/inventory, with group_vars/host_vars beside the playbook too. */
import { dirname } from 'node:path';
import { loadInventory } from '../../inventory';
import type { InventoryView } from '../../executor/inventory-view';

export function openInventory(paths: readonly string[], playbook: string): InventoryView {
  return loadInventory([...paths], { playbookDirs: [dirname(playbook)] });
}
