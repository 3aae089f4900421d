/**
 * The human output of a run, shaped like ansible-playbook's default callback (banners, `ok:`/`changed:`/
 * `fatal: … FAILED! =>`, retry lines, PLAY RECAP), built only from the event stream so every engine prints alike.
 */
import type { HostStats, RunEvent, RunnerResultEvent, TaskResult } from '../events/types';
import { pythonJson } from '../executor/results';
import { colorize, type Color } from './colors';
import { pythonRepr } from './python-repr';
import { diffToShow } from './diff';

export interface PrinterOptions {
  /** normal output (ansible-playbook writes results to stdout) */
  out: (text: string) => void;
  /** warnings and errors */
  err: (text: string) => void;
  color: boolean;
  /** -v count: results are shown for every ok/changed host when > 0 */
  verbosity?: number;
}

const DEBUG_ALLOWED_KEYS = new Set(['msg', 'exception', 'warnings', 'deprecations']);
const HIDDEN_IN_DEBUG_VAR = ['changed', 'failed', 'skipped', 'invocation', 'skip_reason'];

export function banner(text: string): string {
  const msg = text.trim();
  return `${msg} ${'*'.repeat(Math.max(3, 79 - msg.length))}`;
}

export class AnsiblePrinter {
  private readonly taskActions = new Map<string, string>();

  constructor(private readonly options: PrinterOptions) {}

  private line(text: string, color?: Color): void {
    this.options.out(colorize(text, color, this.options.color) + '\n');
  }

  private errLine(text: string, color?: Color): void {
    this.options.err(colorize(text, color, this.options.color) + '\n');
  }

  handle(event: RunEvent): void {
    switch (event.event) {
      case 'playbook_on_start':
        // ansible-playbook -v starts with its version line; say which engine and version this run uses
        if ((this.options.verbosity ?? 0) > 0) {
          const ansible = event.ansiblePlaybook;
          this.line(ansible ? `ansible-playbook [core ${ansible.version || 'unknown'}] (${ansible.path})` : `playbook-studio ${event.engine} engine [following ansible-core ${event.coreVersion}]`);
        }
        break;
      case 'playbook_on_play_start':
        this.line('');
        this.line(banner(`PLAY [${event.play}]`));
        break;
      case 'playbook_on_task_start':
      case 'playbook_on_handler_task_start':
        this.taskActions.set(event.taskId, event.action);
        this.line('');
        this.line(banner(`${event.event === 'playbook_on_handler_task_start' ? 'RUNNING HANDLER' : 'TASK'} [${event.task}]`));
        break;
      case 'runner_on_ok':
      case 'runner_on_failed':
      case 'runner_on_skipped':
      case 'runner_on_unreachable':
      case 'runner_item_on_ok':
      case 'runner_item_on_failed':
      case 'runner_item_on_skipped':
        this.result(event);
        break;
      case 'runner_retry':
        this.line(`FAILED - RETRYING: [${this.hostLabel(event.host, event.delegatedTo)}]: ${event.task} (${event.retries - event.attempts} retries left).`, 'purple');
        break;
      case 'runner_on_async_poll':
        this.line(`ASYNC POLL on ${event.host}: jid=${event.jid} started=${pyBool(event.started)} finished=${pyBool(event.finished)}`, 'cyan');
        break;
      case 'runner_on_async_ok':
        this.line(`ASYNC OK on ${event.host}: jid=${event.jid}`, 'cyan');
        break;
      case 'runner_on_async_failed':
        this.line(`ASYNC FAILED on ${event.host}: jid=${event.jid}`, 'cyan');
        break;
      case 'playbook_on_include':
        this.line(`included: ${event.file} for ${event.hosts.join(', ')}`);
        break;
      case 'playbook_on_stats':
        this.recap(event.stats);
        break;
      case 'display':
        this.line(event.message);
        break;
      case 'runner_on_file_diff':
        this.diff(event.diff);
        break;
      case 'warning':
        this.errLine(`[WARNING]: ${event.message}`, 'brightPurple');
        break;
      case 'error':
        this.errLine(`ERROR! ${event.message}`, 'red');
        break;
      default:
        break;
    }
  }

  private diff(value: unknown): void {
    const lines = diffToShow({ diff: value, changed: true });
    if (!lines.length) return;
    const colors = { add: 'green', remove: 'red', lines: 'cyan' } as const;
    const text = lines.map((l) => (l.role ? colorize(l.text.replace(/\n$/, ''), colors[l.role], this.options.color) + (l.text.endsWith('\n') ? '\n' : '') : l.text)).join('');
    // Display.display ends a message with exactly one newline
    this.options.out(text.endsWith('\n') ? text : text + '\n');
  }

  private hostLabel(host: string, delegatedTo?: string): string {
    return delegatedTo ? `${host} -> ${delegatedTo}` : host;
  }

  private result(event: RunnerResultEvent): void {
    const result = event.result;
    const action = this.taskActions.get(event.taskId) ?? '';
    const isDebug = action === 'debug';
    const host = this.hostLabel(event.host, event.delegatedTo);
    this.warnings(result);
    const isLoopSummary = (event.loop ?? Array.isArray(result.results)) && event.event.startsWith('runner_on_');
    const itemText = event.event.startsWith('runner_item_') ? ` (item=${labelOf(result, event.item)})` : '';
    switch (event.event) {
      case 'runner_on_ok':
      case 'runner_item_on_ok': {
        if (isLoopSummary) break;
        const changed = event.changed ?? Boolean(result.changed);
        const status = changed ? 'changed' : 'ok';
        const prefix = itemText ? `${status}: [${host}] =>${itemText}` : `${status}: [${host}]`;
        if (this.showsResult(result)) this.line(`${prefix} => ${this.dump(result, isDebug, 4)}`, changed ? 'yellow' : 'green');
        else this.line(prefix, changed ? 'yellow' : 'green');
        break;
      }
      case 'runner_on_failed':
      case 'runner_item_on_failed': {
        if (!isLoopSummary) {
          this.exception(result);
          if (itemText) this.line(`failed: [${host}]${itemText} => ${this.dump(result, isDebug)}`, 'red');
          else this.line(`fatal: [${host}]: FAILED! => ${this.dump(result, isDebug)}`, 'red');
        }
        if (event.ignoreErrors && event.event === 'runner_on_failed') this.line('...ignoring', 'cyan');
        break;
      }
      case 'runner_on_skipped':
        this.line(`skipping: [${host}]`, 'cyan');
        break;
      case 'runner_item_on_skipped':
        this.line(`skipping: [${host}] =>${itemText} `, 'cyan');
        break;
      case 'runner_on_unreachable':
        this.line(`fatal: [${host}]: UNREACHABLE! => ${this.dump(result, false)}`, 'brightRed');
        if (event.ignoreErrors) this.line('...ignoring', 'cyan');
        break;
    }
  }

  private showsResult(result: TaskResult): boolean {
    return ((this.options.verbosity ?? 0) > 0 || '_ansible_verbose_always' in result) && !('_ansible_verbose_override' in result);
  }

  private warnings(result: TaskResult): void {
    const warnings = result.warnings;
    if (Array.isArray(warnings)) for (const w of warnings) this.errLine(`[WARNING]: ${String(w)}`, 'brightPurple');
  }

  private exception(result: TaskResult): void {
    if (typeof result.exception !== 'string' || (this.options.verbosity ?? 0) >= 3) return;
    const lines = result.exception.trim().split('\n');
    this.errLine(`An exception occurred during task execution. To see the full traceback, use -vvv. The error was: ${lines[lines.length - 1]}`, 'red');
  }

  /** the dict the default callback prints: internal keys, failed/skipped, exceptions and invocation removed */
  private dump(result: TaskResult, isDebug: boolean, indent?: number): string {
    const shown: TaskResult = {};
    for (const [key, value] of Object.entries(result)) {
      if (key.startsWith('_ansible_') || key === 'failed' || key === 'skipped' || key === 'exception' || key === 'warnings' || key === 'deprecations') continue;
      if (key === 'invocation' && (this.options.verbosity ?? 0) < 3) continue;
      if (key === 'diff' || key === 'failed_when_result_hidden') continue;
      shown[key] = value;
    }
    if (isDebug) {
      if ('msg' in shown) {
        for (const key of Object.keys(shown)) if (!DEBUG_ALLOWED_KEYS.has(key)) delete shown[key];
      } else {
        for (const key of HIDDEN_IN_DEBUG_VAR) delete shown[key];
      }
    }
    return pythonJson(shown, result._ansible_verbose_always ? indent ?? 4 : indent);
  }

  private recap(stats: Record<string, HostStats>): void {
    this.line('');
    this.line(banner('PLAY RECAP'));
    for (const host of Object.keys(stats).sort()) {
      const t = stats[host];
      const color: Color | undefined = t.failed > 0 || t.unreachable > 0 ? 'red' : t.changed > 0 ? 'yellow' : 'green';
      const name = this.options.color ? colorize(host, color, true).padEnd(37 + (host.length > 26 ? host.length - 26 : 0)) : host.padEnd(26);
      const field = (lead: string, n: number, c: Color) => {
        const text = `${lead}=${String(n).padEnd(4)}`;
        return n !== 0 ? colorize(text, c, this.options.color) : text;
      };
      this.options.out(
        `${name} : ${field('ok', t.ok, 'green')} ${field('changed', t.changed, 'yellow')} ${field('unreachable', t.unreachable, 'brightRed')} ${field('failed', t.failed, 'red')} ${field('skipped', t.skipped, 'cyan')} ${field('rescued', t.rescued, 'purple')} ${field('ignored', t.ignored, 'purple')}\n`,
      );
    }
    this.line('');
  }
}

function labelOf(result: TaskResult, item: unknown): string {
  const label = '_ansible_item_label' in result ? result._ansible_item_label : item !== undefined ? item : result.item;
  return typeof label === 'string' ? label : pythonRepr(label);
}

function pyBool(value: unknown): string {
  return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
}
