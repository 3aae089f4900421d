/** Public entry of the inventory package. */
export { Inventory, loadInventory, expandLimit, InventoryError, type LoadInventoryOptions, type GroupData, type HostData, type SourceLocation } from './inventory';
export { LOCALHOST_NAMES } from './patterns';
export { parseIniValue } from './python-literal';
