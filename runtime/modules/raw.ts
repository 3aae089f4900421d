/**
 * raw and script. Ansible runs both with a pty (`ssh -tt`), so their output comes back merged on stdout
 * with CRLF line ends and ssh's "Shared connection to … closed." on stderr; we reproduce that shape.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { shellJoin, shellQuote } from '../connection/quote';
import type { TaskResult } from '../events/types';
import { splitLines } from '../executor/results';
import { becomeOf, envPrefix, fail, str } from './common';
import { shlexSplit } from '../text/shlex';
import type { ModuleContext, ModuleImplementation } from './types';

function ptyShape(context: ModuleContext, rc: number, output: string): TaskResult {
  const stdout = output.replace(/\r?\n/g, '\r\n');
  const address = String(context.vars.ansible_host ?? context.host);
  const stderr = `Shared connection to ${address} closed.\r\n`;
  const result: TaskResult = { changed: true, rc, stdout, stdout_lines: splitLines(stdout), stderr, stderr_lines: splitLines(stderr) };
  if (rc !== 0) {
    result.failed = true;
    result.msg = 'non-zero return code';
  }
  return result;
}

export const rawModule: ModuleImplementation = {
  name: 'raw',
  async run(context) {
    const command = str(context.args, '_raw_params');
    if (!command) return fail('no command given');
    const executable = str(context.args, 'executable');
    const line = executable ? `${shellQuote(executable)} -c ${shellQuote(command)}` : command;
    // the command is run as written (raw is the "no module subsystem" escape hatch); stderr joins stdout like a pty
    const res = await context.connection.exec(`exec 2>&1; ${envPrefix(context.environment)}${line}`, { signal: context.signal, ...becomeOf(context) });
    return ptyShape(context, res.rc, res.stdout + res.stderr);
  },
};

export const scriptModule: ModuleImplementation = {
  name: 'script',
  async run(context) {
    const raw = str(context.args, '_raw_params') ?? str(context.args, 'cmd');
    if (!raw) return fail('no script given');
    const [name, ...args] = shlexSplit(raw);
    const creates = str(context.args, 'creates');
    const removes = str(context.args, 'removes');
    if (creates) {
      const res = await context.connection.exec(`test -e ${shellQuote(creates)}`);
      if (res.rc === 0) return { changed: false, skipped: true, msg: `${creates} exists, matching creates option` };
    }
    if (removes) {
      const res = await context.connection.exec(`test -e ${shellQuote(removes)}`);
      if (res.rc !== 0) return { changed: false, skipped: true, msg: `${removes} does not exist, matching removes option` };
    }
    const local = context.findFile?.(name, 'files');
    if (!local) return fail(`Could not find or access '${name}' on the Ansible Controller.`);
    if (context.checkMode) return { changed: true, skipped: true, msg: 'check mode not supported for script' };
    const mk = await context.connection.exec(`mktemp -d "\${TMPDIR:-/tmp}/ps-script.XXXXXX"`);
    if (mk.rc !== 0) return fail(`cannot create a temporary directory on the target: ${mk.stderr.trim()}`);
    const dir = mk.stdout.trim();
    const remote = `${dir}/${basename(local)}`;
    try {
      await context.connection.putFile(remote, readFileSync(local), 0o700);
      const executable = str(context.args, 'executable');
      const chdir = str(context.args, 'chdir');
      const run = (executable ? shellJoin([executable, remote, ...args]) : shellJoin([remote, ...args]));
      const res = await context.connection.exec(`exec 2>&1; ${envPrefix(context.environment)}${chdir ? `cd ${shellQuote(chdir)} && ` : ''}${run}`, { signal: context.signal, ...becomeOf(context) });
      const result = ptyShape(context, res.rc, res.stdout + res.stderr);
      if (res.rc !== 0) result.exception = 'NoneType: None\n';
      return result;
    } finally {
      await context.connection.exec(`rm -rf ${shellQuote(dir)}`).catch(() => undefined);
    }
  },
};
