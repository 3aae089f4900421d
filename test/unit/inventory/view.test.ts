import { describe, expect, it } from 'vitest';
import type { InventoryView } from '../../../runtime/executor/inventory-view';
import { loadInventory } from '../../../runtime/inventory';
import { fixture } from './helpers';

describe('Inventory as the executor sees it', () => {
  it('is an InventoryView', () => {
    // a compile-time check as much as a runtime one: loadInventory's result plugs into the executor
    const view: InventoryView = loadInventory([fixture('yaml-basic', 'inventory.yml')]);
    expect(view.selectHosts('app:!app_canary')).toEqual(['app1', 'app3']);
    expect(view.groups().app_canary).toEqual(['app2']);
  });
});
