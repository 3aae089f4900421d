/**
 * `become` via sudo, shaped like Ansible's sudo plugin.
 *
 * Without a password: `sudo -H -S -n -u USER -- sh -c CMD`: never waits on a prompt; stdin goes straight through.
 * With a password: `sudo -H -S -p PROMPT -u USER -- sh -c 'echo MARKER; CMD'`. sudo may or may not ask (NOPASSWD,
 * cached credentials, or already root), so the password is written only when our prompt shows on stderr, and the
 * command's stdin only once the success marker shows on stdout, as Ansible does. Otherwise the password would leak
 * into the command's stdin whenever sudo does not ask.
 */
import { randomBytes } from 'node:crypto';
import { shellQuote } from './quote';

/** The two ends of a running command the handshake drives. */
export interface CommandInput {
  write(data: Buffer): void;
  end(): void;
}

export interface BecomeWrapped {
  command: string;
  /** stdin to write at once (no password case); with a password the handshake writes it */
  stdin?: string | Buffer;
  handshake?: BecomeHandshake;
  /** a clear message when sudo itself refused, else undefined */
  sudoFailure(rc: number, stderr: string): string | undefined;
}

function toBuffer(data: string | Buffer | undefined): Buffer {
  return data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
}

/** Watches sudo's output: answers its prompt once, then feeds stdin after the command has really started. */
export class BecomeHandshake {
  private started = false;
  private passwordSent = false;
  private stdoutHead = Buffer.alloc(0);
  private stderrHead = '';
  private input?: CommandInput;

  constructor(
    private readonly prompt: string,
    private readonly marker: string,
    private readonly password: string,
    private readonly stdin: Buffer,
  ) {}

  begin(input: CommandInput): void {
    this.input = input;
  }

  /** Returns the part of a stdout chunk that belongs to the command. */
  onStdout(chunk: Buffer): Buffer {
    if (this.started) return chunk;
    this.stdoutHead = Buffer.concat([this.stdoutHead, chunk]);
    const line = Buffer.from(this.marker + '\n');
    const at = this.stdoutHead.indexOf(line);
    if (at < 0) return Buffer.alloc(0);
    this.started = true;
    const rest = this.stdoutHead.subarray(at + line.length);
    this.stdoutHead = Buffer.alloc(0);
    this.input?.write(this.stdin);
    this.input?.end();
    return rest;
  }

  /** Returns the part of a stderr chunk to keep (sudo's prompts removed). */
  onStderr(chunk: Buffer): Buffer {
    if (this.started) return chunk;
    this.stderrHead += chunk.toString('utf8');
    const prompts = this.stderrHead.split(this.prompt).length - 1;
    if (prompts >= 1 && !this.passwordSent) {
      this.passwordSent = true;
      this.input?.write(Buffer.from(this.password + '\n', 'utf8'));
    } else if (prompts >= 2) {
      // asked again: the password was wrong; end stdin so sudo gives up instead of waiting
      this.input?.end();
    }
    return Buffer.alloc(0);
  }

  /** Whatever stderr was held back before the command started, prompts removed (sudo's own messages). */
  heldStderr(): Buffer {
    const text = this.stderrHead.split(this.prompt).join('');
    this.stderrHead = '';
    return Buffer.from(text, 'utf8');
  }

  /** stdout held back without a marker (sudo failed before running the command). */
  heldStdout(): Buffer {
    const rest = this.stdoutHead;
    this.stdoutHead = Buffer.alloc(0);
    return rest;
  }
}

export function wrapBecome(command: string, becomeUser: string, password: string | undefined, stdin: string | Buffer | undefined): BecomeWrapped {
  if (password === undefined) {
    return {
      command: `sudo -H -S -n -u ${shellQuote(becomeUser)} -- sh -c ${shellQuote(command)}`,
      stdin,
      sudoFailure: (rc, stderr) => {
        if (rc === 1 && /^sudo: (a password is required|a terminal is required)/m.test(stderr)) {
          return `Missing sudo password: sudo to ${becomeUser} requires a password (set ansible_become_password or use --ask-become-pass).`;
        }
        return commonSudoFailure(rc, stderr, becomeUser);
      },
    };
  }
  const key = randomBytes(8).toString('hex');
  const prompt = `[sudo via playbook-studio, key=${key}] password:`;
  const marker = `BECOME-SUCCESS-${key}`;
  return {
    command: `sudo -H -S -p ${shellQuote(prompt)} -u ${shellQuote(becomeUser)} -- sh -c ${shellQuote(`echo ${marker}; ${command}`)}`,
    handshake: new BecomeHandshake(prompt, marker, password, toBuffer(stdin)),
    sudoFailure: (rc, stderr) => {
      if (rc === 1 && /Sorry, try again|incorrect password attempt|no password was provided/.test(stderr)) return `Incorrect sudo password for become_user ${becomeUser}.`;
      return commonSudoFailure(rc, stderr, becomeUser);
    },
  };
}

function commonSudoFailure(rc: number, stderr: string, becomeUser: string): string | undefined {
  if (rc === 127 && /sudo: (not found|command not found)|sudo: No such file/.test(stderr)) {
    return `become (sudo) failed: sudo is not installed on the target; install it or run without become (become_user ${becomeUser}).`;
  }
  if (rc === 1 && /^sudo: unknown user/m.test(stderr)) return `become (sudo) failed: unknown user ${becomeUser}.`;
  if (rc === 1 && /is not in the sudoers file|is not allowed to execute/.test(stderr)) return `become (sudo) failed: ${stderr.trim().split('\n')[0]}`;
  return undefined;
}
