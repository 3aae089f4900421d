/**
 * Client authentication order, like OpenSSH's: ssh-agent keys, then key files (asking for a passphrase only when a
 * key is encrypted and the agent did not already succeed), then the password. Records what was tried so a failure
 * can say so; never records secrets.
 */
import { readFile } from 'node:fs/promises';
import { KeyUnlocker } from './key-unlocker';
import { utils, type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type NextAuthHandler } from 'ssh2';

/** Asked for the passphrase of an encrypted key file; resolve undefined to skip that key. */
export type PassphrasePrompt = (keyFile: string) => Promise<string | undefined>;

export interface AuthOptions {
  username: string;
  /** private key files, tried in order */
  keyFiles: string[];
  /** an in-memory private key (e.g. from a secret store) */
  privateKey?: string | Buffer;
  /** passphrase used for every encrypted key before the prompt is asked */
  passphrase?: string;
  passphrasePrompt?: PassphrasePrompt;
  /** ssh-agent socket path; undefined = none */
  agent?: string;
  password?: string;
  /** shares decrypted keys between connections (one passphrase prompt per key file) */
  unlocker?: KeyUnlocker;
  /** runs a wait on the user (a prompt) with the connect timeout paused */
  whilePrompting?: <T>(wait: () => Promise<T>) => Promise<T>;
}

export interface AuthState {
  handler: AuthHandlerMiddleware;
  /** human-readable attempts, e.g. `publickey with /home/me/.ssh/id_ed25519` */
  tried: string[];
  /** methods the server said can continue (from its last failure reply) */
  serverMethods?: string[];
}

type Attempt = () => Promise<AnyAuthMethod | undefined>;

async function loadKeyFile(file: string, options: AuthOptions, tried: string[]): Promise<AnyAuthMethod | undefined> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    tried.push(`key file ${file} (unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
  const parsed = utils.parseKey(data, options.passphrase);
  const encrypted = parsed instanceof Error && /encrypted|passphrase|bad decrypt/i.test(parsed.message);
  if (parsed instanceof Error && !(encrypted && options.passphrasePrompt)) {
    tried.push(`key file ${file} (${encrypted ? 'encrypted; wrong or missing passphrase' : `not a usable private key: ${parsed.message}`})`);
    return undefined;
  }
  let key = parsed instanceof Error ? undefined : Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key) {
    const unlocker = options.unlocker ?? new KeyUnlocker();
    const whilePrompting = options.whilePrompting ?? (<T>(wait: () => Promise<T>) => wait());
    const result = await whilePrompting(() => unlocker.unlock(file, data, options.passphrasePrompt!));
    if ('reason' in result) {
      tried.push(`key file ${file} (${result.reason === 'declined' ? 'encrypted, no passphrase given' : 'encrypted; wrong or missing passphrase'})`);
      return undefined;
    }
    key = result.key;
  }
  tried.push(`publickey with ${file} (${key.type})`);
  return { type: 'publickey', username: options.username, key };
}

export function createAuth(options: AuthOptions): AuthState {
  const tried: string[] = [];
  const attempts: Attempt[] = [];
  if (options.agent) {
    const agent = options.agent;
    attempts.push(async () => {
      tried.push(`ssh-agent at ${agent}`);
      return { type: 'agent', username: options.username, agent };
    });
  }
  if (options.privateKey !== undefined) {
    const source = options.privateKey;
    attempts.push(async () => {
      const parsed = utils.parseKey(source, options.passphrase);
      if (parsed instanceof Error) {
        tried.push(`in-memory private key (unusable: ${parsed.message})`);
        return undefined;
      }
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      tried.push(`publickey with an in-memory ${key.type} key`);
      return { type: 'publickey', username: options.username, key };
    });
  }
  for (const file of options.keyFiles) attempts.push(() => loadKeyFile(file, options, tried));
  if (options.password !== undefined) {
    const password = options.password;
    attempts.push(async () => {
      tried.push('password');
      return { type: 'password', username: options.username, password };
    });
  }

  const state: AuthState = { tried, handler: undefined as unknown as AuthHandlerMiddleware };
  state.handler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
    if (methodsLeft) state.serverMethods = [...methodsLeft];
    const tryNext = async (): Promise<void> => {
      while (attempts.length > 0) {
        const method = await attempts.shift()!();
        if (!method) continue;
        // the server told us which methods may continue; skip the ones it will not accept
        const wire = method.type === 'agent' ? 'publickey' : method.type;
        if (methodsLeft && !methodsLeft.includes(wire as AuthenticationType)) {
          tried[tried.length - 1] += ' (skipped: server does not accept it)';
          continue;
        }
        next(method);
        return;
      }
      (next as unknown as (m: false) => void)(false);
    };
    tryNext().catch(() => (next as unknown as (m: false) => void)(false));
  };
  return state;
}
