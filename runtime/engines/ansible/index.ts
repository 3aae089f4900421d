/**
 * The `ansible` engine: runs the user's own ansible-playbook with our callback plugin, so collections and modules
 * the bundled engine does not implement still feed the same journal, CLI output and Jobs tree.
 */
import type { HostStats } from '../../events/types';
import type { Engine, RunOptions } from '../types';
import { callbackEnvironment } from './callback-config';
import { ansiblePlaybookArgs, ansiblePlaybookEnv } from './command-line';
import { StderrReader } from './diagnostics';
import { PluginStreamReader } from './event-stream';
import { detectVersion, findAnsiblePlaybook, findCallbackPluginDir } from './locate';
import { runAnsibleProcess } from './process';

/** ansible-playbook's code for "User interrupted execution" when it is cancelled before it can say so itself. */
const INTERRUPTED = 99;
const NOT_FOUND = 127;
const STDOUT_TAIL_CHARS = 4_000;

export const ansibleEngine: Engine = {
  name: 'ansible',
  run: runWithAnsible,
};

async function runWithAnsible(options: RunOptions): Promise<number> {
  const { events } = options;
  const fail = (message: string, code: number): number => {
    events.emit({ event: 'playbook_on_start', playbook: options.playbook, inventory: options.inventories, engine: 'ansible', coreVersion: options.coreVersion, pid: process.pid });
    events.emit({ event: 'error', message });
    return code;
  };

  const command = findAnsiblePlaybook(options.ansiblePlaybook);
  if (!command) {
    const where = options.ansiblePlaybook ? `'${options.ansiblePlaybook}'` : "'ansible-playbook' on PATH";
    return fail(`ansible-playbook not found (looked for ${where}); install ansible-core or set the ansible-playbook path`, NOT_FOUND);
  }
  const pluginDir = findCallbackPluginDir();
  if (!pluginDir) return fail('the playbook_studio callback plugin is missing from this installation (ansible/callback_plugins)', NOT_FOUND);
  let version: string;
  let versionProblem: string | undefined;
  try {
    version = await detectVersion(command);
  } catch (error) {
    // Not knowing the version only costs the label; the run itself can still tell us whether Ansible works.
    version = '';
    versionProblem = `cannot tell the ansible-core version: ${(error as Error).message}`;
  }
  if (options.signal.aborted) return INTERRUPTED;

  const cwd = process.cwd();
  const env = ansiblePlaybookEnv(options, process.env, callbackEnvironment(pluginDir, process.env, cwd));
  let recap: Record<string, HostStats> | undefined;
  let pluginLines = 0;
  let stdoutTail = '';
  const plugin = new PluginStreamReader({
    event: (input) => {
      pluginLines++;
      events.emit(input);
    },
    stats: (stats) => {
      pluginLines++;
      recap = stats;
    },
    garbage: (line, reason) => events.emit({ event: 'warning', message: `unreadable event from the callback plugin (${reason}): ${line.slice(0, 200)}` }),
  });
  const stderr = new StderrReader((warning) => events.emit({ event: 'warning', message: warning.message }));

  const outcome = await runAnsibleProcess(command, ansiblePlaybookArgs(options), env, options.signal, {
    onSpawn: (pid) => {
      events.emit({
        event: 'playbook_on_start',
        playbook: options.playbook,
        inventory: options.inventories,
        engine: 'ansible',
        coreVersion: version || options.coreVersion,
        pid,
        ansiblePlaybook: { path: command, version },
      });
      if (versionProblem) events.emit({ event: 'warning', message: versionProblem });
    },
    onEvents: (chunk) => plugin.push(chunk),
    onStdout: (chunk) => {
      stdoutTail = (stdoutTail + chunk.toString('utf8')).slice(-STDOUT_TAIL_CHARS);
    },
    onStderr: (chunk) => stderr.push(chunk.toString('utf8')),
  });
  if (outcome.spawnError) return fail(`cannot run ${command}: ${outcome.spawnError.message}`, NOT_FOUND);

  plugin.end();
  const errors = stderr.finish();
  for (const error of errors) events.emit({ event: 'error', message: error.message, ...(error.position ? { position: error.position } : {}) });
  if (!outcome.cancelled && errors.length === 0 && recap === undefined) {
    // Ansible ended without a recap and without saying why on stderr: show what it printed instead of nothing.
    const said = (stderr.all.trim() || stdoutTail.trim()).slice(-STDOUT_TAIL_CHARS);
    const reason = pluginLines === 0 ? 'ansible-playbook produced no events (is the playbook_studio callback plugin loadable?)' : 'ansible-playbook ended without a recap';
    events.emit({ event: 'error', message: said ? `${reason}: ${said}` : `${reason} (exit code ${outcome.exitCode})` });
  }
  if (recap !== undefined) events.emit({ event: 'playbook_on_stats', stats: recap, rc: outcome.exitCode });
  return outcome.exitCode;
}
