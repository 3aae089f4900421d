/**
 * Behaviour that the real sshd cannot be made to show on demand, against ssh2's own Server: a low session limit,
 * a link that dies while a command runs, password authentication.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, utils, type Connection as ServerConnection, type ServerChannel } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { SshConnection } from '../../../runtime/connection/ssh';
import { UnreachableError } from '../../../runtime/connection/types';
import { hermeticOptions, localTempDir } from './helpers';

interface FakeServer {
  port: number;
  execs: string[];
  maxConcurrent: number;
  close(): Promise<void>;
}

type ExecBehaviour = (command: string, stream: ServerChannel, client: ServerConnection) => void;

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeServer(options: { maxSessions?: number; password?: string; hostKeys?: string[]; onExec: ExecBehaviour }): Promise<FakeServer> {
  const hostKeys = options.hostKeys ?? [utils.generateKeyPairSync('ed25519').private];
  const state = { execs: [] as string[], open: 0, maxConcurrent: 0 };
  const clients = new Set<ServerConnection>();
  const server = new Server({ hostKeys }, (client) => {
    clients.add(client);
    client.on('error', () => undefined);
    client.on('close', () => clients.delete(client));
    client.on('authentication', (ctx) => {
      if (ctx.method === 'password' && options.password !== undefined && ctx.password === options.password) return ctx.accept();
      if (ctx.method === 'publickey' && options.password === undefined) return ctx.accept();
      return ctx.reject(options.password !== undefined ? ['password'] : ['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept, reject) => {
        if (options.maxSessions !== undefined && state.open >= options.maxSessions) return reject();
        state.open++;
        state.maxConcurrent = Math.max(state.maxConcurrent, state.open);
        const session = accept();
        let closed = false;
        const release = (): void => {
          if (!closed) {
            closed = true;
            state.open--;
          }
        };
        session.on('close', release);
        session.on('exec', (acceptExec, _rejectExec, info) => {
          state.execs.push(info.command);
          const stream = acceptExec();
          stream.on('close', release);
          options.onExec(info.command, stream, client);
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const fake: FakeServer = {
    port: (server.address() as { port: number }).port,
    get execs() {
      return state.execs;
    },
    get maxConcurrent() {
      return state.maxConcurrent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
  servers.push(fake);
  return fake;
}

function connectTo(server: FakeServer, overrides: Parameters<typeof hermeticOptions>[0] = {}): SshConnection {
  return new SshConnection(
    hermeticOptions({ host: '127.0.0.1', port: server.port, knownHostsFiles: [join(localTempDir('fake-kh'), 'known_hosts')], hostKeyPolicy: 'accept-new', ...overrides }),
  );
}

/** Answers `echo N` after a short delay so that channels overlap. */
const slowEcho: ExecBehaviour = (command, stream) => {
  setTimeout(() => {
    stream.write(command.replace(/^echo /, '') + '\n');
    stream.exit(0);
    stream.end();
  }, 30);
};

describe('fault injection with an ssh2 Server', () => {
  it('a server that allows only 2 sessions: commands queue instead of failing', async () => {
    const server = await fakeServer({ maxSessions: 2, onExec: slowEcho });
    const connection = connectTo(server, { maxChannels: 10 });
    try {
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => connection.exec(`echo ${i}`)));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
      expect(server.maxConcurrent).toBeLessThanOrEqual(2);
      // the refusals taught the connection the server's limit (1 when a close and the next open cross on the wire)
      expect(connection.channelLimit).toBeLessThanOrEqual(2);
      expect(connection.channelLimit).toBeGreaterThanOrEqual(1);
    } finally {
      await connection.close();
    }
  });

  it('the link dying mid-command is unreachable and the command is not re-run', async () => {
    const server = await fakeServer({
      onExec: (_command, _stream, client) => {
        setTimeout(() => client.end(), 50);
      },
    });
    const connection = connectTo(server);
    try {
      const error = await connection.exec('long-running').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreachableError);
      expect((error as Error).message).toBe('Failed to connect to the host via ssh: Shared connection to 127.0.0.1 closed.');
      expect(server.execs).toEqual(['long-running']);
    } finally {
      await connection.close();
    }
  });

  it('a server with several host keys presents the type known_hosts has (no false mismatch)', async () => {
    const ed25519 = utils.generateKeyPairSync('ed25519');
    const ecdsa = utils.generateKeyPairSync('ecdsa', { bits: 256 });
    const server = await fakeServer({ hostKeys: [ed25519.private, ecdsa.private], onExec: slowEcho });
    const file = join(localTempDir('multi-key'), 'known_hosts');
    writeFileSync(file, `[127.0.0.1]:${server.port} ${ecdsa.public.split(' ').slice(0, 2).join(' ')}\n`);
    const connection = connectTo(server, { knownHostsFiles: [file], hostKeyPolicy: 'strict' });
    try {
      expect((await connection.exec('echo ecdsa')).stdout).toBe('ecdsa\n');
    } finally {
      await connection.close();
    }
  });

  it('password authentication, and a wrong password listed as tried', async () => {
    const server = await fakeServer({ password: 'sesame', onExec: slowEcho });
    const good = connectTo(server, { keyFiles: [], password: 'sesame' });
    const bad = connectTo(server, { keyFiles: [], password: 'wrong' });
    try {
      expect((await good.exec('echo in')).stdout).toBe('in\n');
      const error = await bad.exec('echo no').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/Permission denied \(password\)\. Tried: password\.$/);
      expect((error as Error).message).not.toContain('wrong');
    } finally {
      await good.close();
      await bad.close();
    }
  });
});
