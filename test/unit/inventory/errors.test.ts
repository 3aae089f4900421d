import { describe, expect, it } from 'vitest';
import { InventoryError, loadInventory } from '../../../runtime/inventory';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, tempTree } from './helpers';

function errorOf(path: string): InventoryError {
  try {
    loadInventory([path]);
  } catch (error) {
    expect(error).toBeInstanceOf(InventoryError);
    return error as InventoryError;
  }
  throw new Error(`${path} loaded without error`);
}

describe('inventory errors name file:line(:col)', () => {
  it.each<[string, string]>([
    ['vars-no-equals.ini', '5:1: Expected key=value, got: key value without equals'],
    ['unclosed-quote.ini', `2:1: Error parsing host definition 'web1 "unclosed': No closing quotation`],
    ['undefined-child.ini', '2:1: Section [parent:children] includes undefined group: never_declared'],
    ['vars-undefined-group.ini', '1:1: Section [ghost:vars] not valid for undefined group: ghost'],
    ['bad-range.ini', '2:1: host range bounds must be numbers or single letters in "web[1:b]"'],
    ['bad-section.ini', '1:1: Section [bad:type] has unknown type: type'],
    ['cycle.ini', "4:1: Adding group 'a' as child to 'b' creates a recursive dependency loop."],
    ['host-not-mapping.yml', '3:8: host "a" must map to its variables (a dictionary) or be empty'],
  ])('%s', (name, expected) => {
    const path = fixture('errors', name);
    expect(errorOf(path).message).toBe(`${path}:${expected}`);
  });

  it('YAML syntax errors carry line and column', () => {
    const path = fixture('errors', 'yaml-syntax.yml');
    expect(errorOf(path).message).toMatch(new RegExp(`^${path.replace(/[.]/g, '\\.')}:\\d+:\\d+: YAML syntax error: `));
  });

  it('a group_vars file that is not a mapping', () => {
    const dir = fixture('errors', 'bad-group-vars');
    expect(errorOf(`${dir}/hosts`).message).toBe(`${dir}/group_vars/all.yml:1:1: variables must be stored as a dictionary/hash`);
  });

  it('an executable inventory script is refused, not parsed as INI', () => {
    const dir = tempTree({ 'dynamic.py': '#!/usr/bin/env python3\nprint("{}")\n' });
    chmodSync(join(dir, 'dynamic.py'), 0o755);
    expect(errorOf(join(dir, 'dynamic.py')).message).toBe(`${join(dir, 'dynamic.py')}:1:1: executable inventory scripts are not supported by the bundled runtime; use --engine ansible or a static INI/YAML inventory`);
  });

  it('a missing source', () => {
    expect(errorOf('/nonexistent/inventory').message).toBe('Unable to parse /nonexistent/inventory as an inventory source: no such file or directory');
  });
});
