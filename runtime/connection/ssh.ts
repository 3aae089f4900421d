/**
 * SSH connections over ssh2. One TCP connection per (host, port, user, keys) is shared by every command to that
 * host: each command is a channel on it (≈ 3 ms per exec on loopback against ≈ 100 ms for a new handshake).
 * Nagle's algorithm is disabled on the socket (with it every exec waits ≈ 40 ms for delayed ACKs).
 *
 * File transfer runs `cat` over an exec channel instead of SFTP: the target needs nothing but a POSIX shell
 * (Ansible's `scp_if_ssh=smart` fallback does the same), and it goes through `become` like any command.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { Client, type ClientChannel, type ConnectConfig } from 'ssh2';
import { createAuth } from './auth';
import type { BecomeHandshake } from './become';
import { ChannelLimiter } from './channel-limiter';
import { connectionLostError, connectTimeoutError, describeConnectError, unreachable, type ConnectTarget } from './errors';
import { KeyUnlocker } from './key-unlocker';
import { preferredHostKeyAlgorithms, verifyHostKey } from './known-hosts';
import { parseProxyJump } from './ssh-config';
import { poolKey, resolveSshOptions, type ResolvedSshOptions, type SshOptions } from './ssh-options';
import { abortableCommand, openExecChannel, runExecChannel } from './exec-channel';
import { abortError, execDecoded, getFileByCat, putFileByCat, type RawResult, type RawRunner } from './raw-exec';
import { StreamEvents, type CommandStream } from './stream';
import { UnreachableError, type Connection, type ExecOptions, type ExecResult } from './types';

export type { SshOptions } from './ssh-options';

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  keepaliveIntervalMs: 15_000,
  keepaliveCountMax: 3,
  maxChannels: 10,
  reconnectDeadlineMs: 15_000,
};

/** Errors that mean "the link is gone, try again on a new one" rather than "the command failed". */
function isLinkGone(error: Error): boolean {
  return /Not connected|No response from server|socket (hang up|has been ended)|write after end|ECONNRESET|EPIPE/i.test(error.message);
}

function isChannelRefused(error: Error & { reason?: unknown }): boolean {
  return /Channel open failure/i.test(error.message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class SshConnection implements Connection {
  readonly host: string;
  readonly options: ResolvedSshOptions;
  private client?: Client;
  private connecting?: Promise<Client>;
  private everConnected = false;
  private closed = false;
  private readonly limiter: ChannelLimiter;
  private jump?: SshConnection;
  /** decrypted key files: shared through the pool, so one passphrase prompt serves every host */
  private readonly unlocker: KeyUnlocker;

  /** `pool` supplies the jump host connection for ProxyJump; without one a private jump connection is made. */
  constructor(
    options: SshOptions | ResolvedSshOptions,
    private readonly pool?: ConnectionPool,
  ) {
    this.options = 'address' in options ? options : resolveSshOptions(options);
    this.host = this.options.name;
    this.limiter = new ChannelLimiter(this.options.maxChannels ?? DEFAULTS.maxChannels);
    this.unlocker = pool?.unlocker ?? new KeyUnlocker();
  }

  /** concurrent channels allowed right now (lowered when the server refuses opens, see ChannelLimiter) */
  get channelLimit(): number {
    return this.limiter.limit;
  }

  private get target(): ConnectTarget {
    return { name: this.options.name, address: this.options.address, port: this.options.port, user: this.options.user };
  }

  /** Connects now (otherwise the first exec does); rejects with UnreachableError. */
  async connect(): Promise<void> {
    await this.liveClient();
  }

  private readonly run: RawRunner = (command, stdin, signal, handshake) => this.execRaw(command, stdin, signal, handshake);

  exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    return execDecoded(this.run, command, options);
  }

  putFile(remotePath: string, content: Buffer | string, mode?: number, options: ExecOptions = {}): Promise<void> {
    return putFileByCat(this.run, this.host, remotePath, content, mode, options);
  }

  getFile(remotePath: string, options: ExecOptions = {}): Promise<Buffer> {
    return getFileByCat(this.run, this.host, remotePath, options);
  }

  /**
   * A long-lived command on its own channel, holding one of the connection's channel slots until it closes.
   * Not retried: when the link drops the stream closes and its owner decides whether to open another.
   */
  async openStream(command: string): Promise<CommandStream> {
    await this.limiter.acquire();
    let released = false;
    const release = (): void => {
      if (!released) this.limiter.release();
      released = true;
    };
    try {
      const client = await this.liveClient();
      const channel = await new Promise<ClientChannel>((resolve, reject) => {
        try {
          client.exec(command, (error, opened) => (error ? reject(error) : resolve(opened)));
        } catch (error) {
          reject(error as Error);
        }
      });
      const events = new StreamEvents();
      const onLinkClosed = (): void => events.close('connection closed');
      client.once('close', onLinkClosed);
      events.onClose(() => {
        client.removeListener('close', onLinkClosed);
        release();
      });
      channel.on('data', (chunk: Buffer) => events.data(chunk));
      channel.stderr.resume();
      channel.on('error', (error: Error) => events.close(error.message));
      channel.on('close', () => events.close('channel closed'));
      return {
        write: (data) => !events.closed && channel.write(data) !== undefined,
        close: () => {
          if (events.closed) return;
          try {
            channel.end();
            channel.close();
          } catch {
            // already closing
          }
          events.close('closed by us');
        },
        onData: (listener) => events.onData(listener),
        onClose: (listener) => events.onClose(listener),
      };
    } catch (error) {
      release();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.pool?.forget(this);
    // a jump connection of our own (no pool to share it) goes with us
    if (!this.pool && this.jump) await this.jump.close();
    if (client) {
      await new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.end();
        // a dead peer never answers the disconnect; do not let close() hang on it
        setTimeout(resolve, 1000).unref();
      });
    }
  }

  /** Runs one command on its own channel, queued behind the per-connection channel cap. */
  private async execRaw(command: string, stdin: string | Buffer | undefined, signal: AbortSignal | undefined, handshake: BecomeHandshake | undefined): Promise<RawResult> {
    if (signal?.aborted) throw abortError(signal);
    await this.limiter.acquire(signal, () => abortError(signal!));
    try {
      for (;;) {
        const client = await this.liveClient();
        if (signal?.aborted) throw abortError(signal);
        let running: { result: Promise<RawResult> };
        try {
          // an abortable command reports its process group first, so an abort can kill it from a second channel
          const line = signal ? abortableCommand(command) : command;
          running = await openExecChannel(client, line, (channel) => runExecChannel(client, channel, { stdin, signal, handshake, linkLost: () => connectionLostError(this.target) }), signal);
        } catch (error) {
          const err = error as Error;
          if (signal?.aborted) throw abortError(signal);
          if (isChannelRefused(err) && this.limiter.inUse > 1) {
            // the server's MaxSessions is below our cap: lower the cap and wait for a running command to finish
            this.limiter.learnServerLimit(this.limiter.inUse - 1);
            this.limiter.release();
            await this.limiter.acquire();
            continue;
          }
          if (isLinkGone(err)) {
            // the channel never opened, so the command did not run: safe to retry on a new connection
            this.dropClient(client);
            continue;
          }
          throw unreachable(this.target, `could not open a session channel: ${err.message}`);
        }
        return await running.result;
      }
    } finally {
      this.limiter.release();
    }
  }

  private dropClient(client: Client): void {
    if (this.client === client) this.client = undefined;
    client.destroy();
  }

  /** The current connection, or a new one: one attempt the first time, retries with backoff after a drop. */
  private liveClient(): Promise<Client> {
    if (this.closed) return Promise.reject(new UnreachableError(this.host, `connection to ${this.host} is closed`));
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      const attempt = this.everConnected ? this.reconnect() : this.openClient();
      this.connecting = attempt.finally(() => (this.connecting = undefined));
    }
    return this.connecting;
  }

  private async reconnect(): Promise<Client> {
    const deadline = Date.now() + (this.options.reconnectDeadlineMs ?? DEFAULTS.reconnectDeadlineMs);
    let delay = 100;
    for (;;) {
      try {
        return await this.openClient(Math.max(1000, deadline - Date.now()));
      } catch (error) {
        const err = error as UnreachableError & { retryable?: boolean };
        if (!err.retryable || Date.now() + delay > deadline) throw err;
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  private async openClient(timeoutMs = this.options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs): Promise<Client> {
    const hostKeyAlgorithms = await preferredHostKeyAlgorithms(this.options.knownHostsFiles, this.options.address, this.options.port);
    const sock = await this.openTransport(timeoutMs);
    const client = new Client();
    let ready = false;
    // the handshake limit, paused while the user answers a prompt (passphrase, unknown host key)
    let timer: NodeJS.Timeout | undefined;
    let prompting = 0;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => client.emit('error', Object.assign(new Error('Timed out while waiting for handshake'), { level: 'client-timeout' })), timeoutMs);
    };
    const whilePrompting = async <T>(wait: () => Promise<T>): Promise<T> => {
      prompting++;
      clearTimeout(timer);
      try {
        return await wait();
      } finally {
        if (--prompting === 0 && !ready) arm();
      }
    };
    const hostKeyPrompt = this.options.hostKeyPrompt;
    const auth = createAuth({
      username: this.options.user,
      keyFiles: this.options.keyFiles,
      privateKey: this.options.privateKey,
      passphrase: this.options.passphrase,
      passphrasePrompt: this.options.passphrasePrompt,
      agent: this.options.agent,
      password: this.options.password,
      unlocker: this.unlocker,
      whilePrompting,
    });
    let hostKeyError: Error | undefined;
    const config: ConnectConfig = {
      sock: sock as ConnectConfig['sock'],
      algorithms: { serverHostKey: hostKeyAlgorithms as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      username: this.options.user,
      // our own timer (see arm) replaces ssh2's, which cannot be paused for prompts
      readyTimeout: 0,
      keepaliveInterval: this.options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: this.options.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
      authHandler: auth.handler,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        const prompt = hostKeyPrompt && ((...args: Parameters<typeof hostKeyPrompt>) => whilePrompting(() => hostKeyPrompt(...args)));
        verifyHostKey({ knownHostsFiles: this.options.knownHostsFiles, policy: this.options.hostKeyPolicy, prompt }, this.options.address, this.options.port, key).then(
          () => verify(true),
          (error: Error) => {
            hostKeyError = error;
            verify(false);
          },
        );
      },
    };
    return new Promise<Client>((resolve, reject) => {
      client.on('ready', () => {
        ready = true;
        clearTimeout(timer);
        if (this.closed) {
          // close() was called while we were connecting
          client.end();
          reject(new UnreachableError(this.host, `connection to ${this.host} is closed`));
          return;
        }
        this.client = client;
        this.everConnected = true;
        resolve(client);
      });
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        // agent failures are reported but ssh2 goes on with the next method
        if (error.level === 'agent') return;
        if (!ready) {
          clearTimeout(timer);
          const described = hostKeyError ?? describeConnectError(this.target, error, auth.tried, auth.serverMethods);
          (described as UnreachableError & { retryable?: boolean }).retryable = !hostKeyError && error.level !== 'client-authentication';
          reject(described);
          client.destroy();
        }
      });
      client.on('close', () => {
        if (this.client === client) this.client = undefined;
        if (!ready) {
          clearTimeout(timer);
          const error = hostKeyError ?? unreachable(this.target, `Connection closed by ${this.options.address} port ${this.options.port}`);
          (error as UnreachableError & { retryable?: boolean }).retryable = !hostKeyError;
          reject(error);
        }
      });
      arm();
      client.connect(config);
    });
  }

  /** A TCP socket (Nagle off) or, with ProxyJump, a channel forwarded through the jump host. */
  private async openTransport(timeoutMs: number): Promise<Socket | ClientChannel> {
    if (this.options.proxyJump) return this.openJumpChannel(this.options.proxyJump);
    return new Promise((resolve, reject) => {
      const socket = netConnect({ host: this.options.address, port: this.options.port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(connectTimeoutError(this.target), { retryable: true }));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', onError);
        resolve(socket);
      });
      const onError = (error: Error): void => {
        clearTimeout(timer);
        reject(Object.assign(describeConnectError(this.target, error, [], undefined), { retryable: true }));
      };
      socket.once('error', onError);
    });
  }

  private async openJumpChannel(proxyJump: string): Promise<ClientChannel> {
    const hops = parseProxyJump(proxyJump);
    const last = hops[hops.length - 1];
    const before = hops.slice(0, -1).map((hop) => `${hop.user ? hop.user + '@' : ''}${hop.host}${hop.port ? ':' + hop.port : ''}`);
    if (!this.jump) {
      const jumpOptions: SshOptions = {
        ...this.options,
        name: `${last.host} (jump host for ${this.options.name})`,
        host: last.host,
        port: last.port,
        user: last.user,
        // earlier hops chain through each other; with one hop, only the jump host's own config applies
        proxyJump: before.length > 0 ? before.join(',') : undefined,
        password: undefined,
      };
      delete (jumpOptions as Partial<ResolvedSshOptions>).address;
      this.jump = this.pool ? this.pool.get(jumpOptions) : new SshConnection(jumpOptions);
    }
    const jumpClient = await this.jump.liveClient();
    return new Promise((resolve, reject) => {
      jumpClient.forwardOut('127.0.0.1', 0, this.options.address, this.options.port, (error, channel) => {
        if (error) {
          reject(Object.assign(unreachable(this.target, `ssh: connect to host ${this.options.address} port ${this.options.port} via jump host ${last.host}: ${error.message}`), { retryable: true }));
        } else resolve(channel);
      });
    });
  }
}

/**
 * Shares one SshConnection per (address, port, user, keys, jump). Executors ask the pool for every task; the
 * connection opens on first use and stays open until `closeAll()`.
 */
export class ConnectionPool {
  private readonly connections = new Map<string, SshConnection>();
  /** one passphrase prompt per key file for all the pool's connections */
  readonly unlocker = new KeyUnlocker();
  private readonly byRequest = new Map<string, SshConnection>();

  constructor(private readonly defaults: Partial<SshOptions> = {}) {}

  get(options: SshOptions): SshConnection {
    const merged = { ...this.defaults, ...options };
    // executors ask once per task and host: skip re-reading ~/.ssh/config when the request is the same
    const requestKey = JSON.stringify(merged);
    const known = this.byRequest.get(requestKey);
    if (known) return known;
    const resolved = resolveSshOptions(merged);
    const key = poolKey(resolved);
    let connection = this.connections.get(key);
    if (!connection) {
      connection = new SshConnection(resolved, this);
      this.connections.set(key, connection);
    }
    this.byRequest.set(requestKey, connection);
    return connection;
  }

  /** Called by a connection's close() so the next get() opens a fresh one. */
  forget(connection: SshConnection): void {
    for (const [key, value] of this.connections) if (value === connection) this.connections.delete(key);
    for (const [key, value] of this.byRequest) if (value === connection) this.byRequest.delete(key);
  }

  get size(): number {
    return this.connections.size;
  }

  async closeAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    this.byRequest.clear();
    await Promise.all(all.map((connection) => connection.close()));
  }
}
