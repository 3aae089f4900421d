/**
 * YAML (and JSON) inventories, as Ansible's yaml plugin reads them: top-level keys are groups (usually `all`);
 * each group may have `hosts` (name → vars), `vars` and `children` (name → group). A string where a mapping is
 * expected is taken as a one-key mapping; other shapes are errors with file:line:col. Host names may carry
 * ranges and `:port`.
 */
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { expandHostRange, HostRangeError, splitHostPort } from './host-range';
import { InventoryError, type InventoryData, type SourceLocation } from './model';
import { loadYaml } from './yaml-load';

export function parseYamlInventory(text: string, file: string, data: InventoryData): void {
  const { doc, at, js } = loadYaml(text, file);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return;
  if (!isMap(root)) throw new InventoryError(at(root), 'a YAML inventory must be a mapping of group names (for example "all:")');

  const keyText = (pair: Pair): string => {
    const key = pair.key as Node | null;
    if (!isScalar(key) || key.value === null) throw new InventoryError(at(key), 'expected a name here');
    return String(key.value);
  };

  /** `hosts: name` and `children: name` strings are allowed as one-entry mappings. */
  const entries = (node: unknown, what: string, group: string): Array<{ name: string; value: unknown; location: SourceLocation }> => {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (isScalar(node)) return [{ name: String(node.value), value: null, location: at(node) }];
    if (!isMap(node)) throw new InventoryError(at(node as Node), `Invalid "${what}" entry for "${group}" group, requires a dictionary`);
    return (node as YAMLMap).items.map((pair) => ({ name: keyText(pair as Pair), value: (pair as Pair).value, location: at((pair as Pair).key as Node) }));
  };

  const toJs = js;

  const parseGroup = (name: string, node: unknown, location: SourceLocation): void => {
    data.addGroup(name, location);
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
    if (!isMap(node)) throw new InventoryError(at(node as Node), `group "${name}" must be a mapping with hosts, vars or children`);
    for (const item of (node as YAMLMap).items) {
      const pair = item as Pair;
      const key = keyText(pair);
      if (key === 'vars') {
        const vars = toJs(pair.value);
        if (vars === null || vars === undefined) continue;
        if (typeof vars !== 'object' || Array.isArray(vars)) throw new InventoryError(at(pair.value as Node), `Invalid "vars" entry for "${name}" group, requires a dictionary`);
        Object.assign(data.addGroup(name).vars, vars);
      } else if (key === 'children') {
        for (const child of entries(pair.value, 'children', name)) {
          parseGroup(child.name, child.value, child.location);
          data.addChild(name, child.name, child.location);
        }
      } else if (key === 'hosts') {
        for (const host of entries(pair.value, 'hosts', name)) {
          const vars = toJs(host.value);
          if (vars !== null && vars !== undefined && (typeof vars !== 'object' || Array.isArray(vars))) {
            throw new InventoryError(at(host.value as Node), `host "${host.name}" must map to its variables (a dictionary) or be empty`);
          }
          const { host: pattern, port } = splitHostPort(host.name);
          let names: string[];
          try {
            names = expandHostRange(pattern);
          } catch (error) {
            if (error instanceof HostRangeError) throw new InventoryError(host.location, error.message);
            throw error;
          }
          for (const hostName of names) {
            const hostData = data.addHost(hostName, name, host.location);
            if (port !== undefined) hostData.vars.ansible_port = port;
            Object.assign(hostData.vars, (vars as Record<string, unknown>) ?? {});
          }
        }
      } else {
        const where = at(pair.key as Node);
        data.warnings.push(`${where.file}:${where.line}:${where.col}: Skipping unexpected key (${key}) in group (${name}), only "vars", "children" and "hosts" are valid`);
      }
    }
  };

  for (const item of root.items) {
    const pair = item as Pair;
    parseGroup(keyText(pair), pair.value, at(pair.key as Node));
  }
}
