/** The inventory's connection variables drive real connections: h1..h8 at 127.0.0.1..8 of the test sshd. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionFromVars } from '../../../runtime/connection/from-vars';
import { LocalConnection } from '../../../runtime/connection/local';
import { loadInventory } from '../../../runtime/inventory';
import { sshd, writeInventory } from '../../host/sshd';
import { localTempDir, testPool } from './helpers';

const pool = testPool();
afterAll(() => pool.closeAll());

describe('inventory → connections', () => {
  it('every host of a written inventory is reached at its own address; localhost runs locally', async () => {
    const path = writeInventory(join(localTempDir('inv'), 'hosts'), 8, '\n[web]\nh1\nh2\n');
    const inventory = loadInventory([path]);
    const hosts = inventory.resolvePattern('all:localhost');
    expect(hosts).toEqual(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'localhost']);
    const results = await Promise.all(
      hosts.map(async (name) => {
        const connection = connectionFromVars(name, inventory.hostVars(name), pool);
        return { name, local: connection instanceof LocalConnection, out: (await connection.exec('echo "$SSH_CONNECTION"')).stdout.trim() };
      }),
    );
    for (const [i, result] of results.slice(0, 8).entries()) {
      expect(result.local).toBe(false);
      expect(result.out.split(' ')[2]).toBe(sshd().hosts[i]);
    }
    expect(results[8]).toMatchObject({ name: 'localhost', local: true });
  });
});
