/**
 * Completion: task keywords and module names at a key position, module options inside a module's
 * arguments, and registered names with their result fields inside `{{ }}` and when/until/changed_when/
 * failed_when (`.finished`, `.ansible_job_id`, `.results`, `.rc`, ...).
 */
import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allModules, lookupModule } from '../../runtime/modules/catalog';
import { keywordsFor } from '../../runtime/playbook/keywords';
import type { Task } from '../../runtime/playbook/model';
import type { AnalysisResult } from '../analysis/analyze';
import { asyncState } from '../analysis/facts';
import { isLooped, type TaskRef } from '../analysis/walk';
import { uriToPath } from '../documents/paths';
import { WAIT_DOCS } from './keyword-docs';
import { taskAt } from './task-at';

export const COMPLETION_TRIGGERS = ['.', '{', ' '];

const CONDITION_KEYS = /^\s*(?:-\s+)?(when|until|changed_when|failed_when)\s*:/;
const LAUNCH_FIELDS = ['ansible_job_id', 'started', 'finished', 'results_file', 'changed', 'failed'];
const STATUS_FIELDS = ['finished', 'started', 'ansible_job_id', 'results_file', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'changed', 'failed', 'msg', 'attempts'];
const COMMON_FIELDS = ['changed', 'failed', 'msg', 'skipped'];
const MAGIC_VARS = ['inventory_hostname', 'hostvars', 'groups', 'group_names', 'ansible_check_mode', 'ansible_loop', 'omit', 'play_hosts', 'ansible_play_hosts'];

/** result fields a register holds, from the task that registers it */
export function registerFields(task: Task): string[] {
  if (isLooped(task)) return ['results', 'changed', 'failed', 'msg', 'skipped'];
  const state = asyncState(task);
  if (state.kind === 'async' && state.poll === 'fire') return LAUNCH_FIELDS;
  if (task.module === 'async_status') return STATUS_FIELDS;
  const info = task.action ? lookupModule(task.action) : undefined;
  const fields = [...(info?.returns ?? []), ...COMMON_FIELDS];
  if (state.kind === 'async') fields.push('ansible_job_id', 'finished', 'started', 'results_file');
  if (task.keywords.until || task.keywords.retries) fields.push('attempts');
  return [...new Set(fields)];
}

function inExpression(doc: TextDocument, position: Position, linePrefix: string): boolean {
  const open = linePrefix.lastIndexOf('{{');
  if (open >= 0 && linePrefix.indexOf('}}', open) < 0) return true;
  if (CONDITION_KEYS.test(linePrefix)) return true;
  // a list item under when:/until: on a previous line
  if (/^\s*-\s+\S*/.test(linePrefix)) {
    for (let line = position.line - 1; line >= 0 && line >= position.line - 20; line--) {
      const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      if (CONDITION_KEYS.test(text) && /:\s*$/.test(text.replace(/#.*$/, '').trimEnd() + (text.trim().endsWith(':') ? '' : 'x'))) return true;
      if (!/^\s*-\s/.test(text)) break;
    }
  }
  return false;
}

function registersVisible(result: AnalysisResult, at: TaskRef | undefined): Map<string, Task> {
  const out = new Map<string, Task>();
  for (const ref of result.facts.tasks) {
    const reg = ref.task.keywords.register?.value;
    if (typeof reg !== 'string') continue;
    if (at && ref.play !== at.play) continue;
    out.set(reg, ref.task);
  }
  return out;
}

function expressionItems(result: AnalysisResult, at: TaskRef | undefined, linePrefix: string): CompletionItem[] {
  const regs = registersVisible(result, at);
  const dotted = /([A-Za-z_]\w*)\.(\w*)$/.exec(linePrefix);
  if (dotted) {
    const base = dotted[1];
    const task = regs.get(base);
    if (task) {
      return registerFields(task).map((f, i) => ({
        label: f,
        kind: CompletionItemKind.Field,
        detail: `${base}.${f}`,
        sortText: String(i).padStart(3, '0'),
      }));
    }
    if (base === 'item' && at) {
      // looping over reg.results: item is one launch result
      const loop = at.task.keywords.loop?.value ?? at.task.keywords.with_items?.value;
      const m = typeof loop === 'string' ? /\{\{\s*(\w+)\.results\s*\}\}/.exec(loop) : null;
      const src = m ? regs.get(m[1]) : undefined;
      if (src) {
        const fields = registerFields({ ...src, keywords: Object.fromEntries(Object.entries(src.keywords).filter(([k]) => k !== 'loop' && !k.startsWith('with_'))) });
        return [...fields, 'item'].map((f) => ({ label: f, kind: CompletionItemKind.Field, detail: `item.${f}` }));
      }
    }
    return [];
  }
  const items: CompletionItem[] = [];
  for (const [name, task] of regs) {
    items.push({ label: name, kind: CompletionItemKind.Variable, detail: `registered by ${task.name ? `'${task.name}'` : task.action ?? 'a task'}`, sortText: `0${name}` });
  }
  if (at?.play) for (const name of Object.keys(at.play.vars)) items.push({ label: name, kind: CompletionItemKind.Variable, detail: 'play var', sortText: `1${name}` });
  if (at && isLooped(at.task)) items.push({ label: 'item', kind: CompletionItemKind.Variable, detail: 'loop item', sortText: '0item' });
  for (const name of MAGIC_VARS) items.push({ label: name, kind: CompletionItemKind.Variable, detail: 'magic variable', sortText: `2${name}` });
  return items;
}

function keyItems(task: Task | undefined, column: number, doc: TextDocument): CompletionItem[] {
  // inside the module's argument mapping: its options
  if (task?.actionSpan && task.action) {
    const actionColumn = doc.positionAt(task.actionSpan.start).character;
    if (column > actionColumn) {
      const info = lookupModule(task.action);
      if (info) {
        return info.options.map((o) => ({
          label: o.name,
          kind: CompletionItemKind.Property,
          detail: `${o.type}${o.required ? ', required' : ''}${o.default !== undefined ? `, default ${JSON.stringify(o.default)}` : ''}`,
          documentation: o.doc,
          insertText: `${o.name}: `,
        }));
      }
      return [];
    }
  }
  const scope = task?.isHandler ? 'handler' : 'task';
  const items: CompletionItem[] = keywordsFor(scope).map((k) => ({
    label: k.name,
    kind: CompletionItemKind.Keyword,
    detail: `${k.type}${k.default !== undefined ? ` · default ${JSON.stringify(k.default)}` : ''}`,
    documentation: { kind: 'markdown', value: WAIT_DOCS[k.name] ?? k.doc },
    insertText: `${k.name}: `,
    sortText: `1${k.name}`,
  }));
  if (!task?.action) {
    for (const m of allModules()) {
      items.push({ label: m.name, kind: CompletionItemKind.Module, detail: m.fqcn, documentation: m.doc, insertText: `${m.name}:`, sortText: `0${m.name}` });
      items.push({ label: m.fqcn, kind: CompletionItemKind.Module, detail: m.doc, insertText: `${m.fqcn}:`, sortText: `2${m.fqcn}` });
    }
  }
  return items;
}

export function completion(doc: TextDocument, result: AnalysisResult, position: Position): CompletionItem[] {
  const path = uriToPath(doc.uri);
  const offset = doc.offsetAt(position);
  const linePrefix = doc.getText({ start: { line: position.line, character: 0 }, end: position });
  const at = taskAt(result, path, offset) ?? nearestTaskAbove(result, path, offset);
  if (inExpression(doc, position, linePrefix)) return expressionItems(result, at, linePrefix);
  const key = /^(\s*)(-\s+)?([\w.]*)$/.exec(linePrefix);
  if (!key) return [];
  const column = key[1].length + (key[2]?.length ?? 0);
  // a new "- " item starts a new task: keywords and modules, no options
  return keyItems(key[2] ? undefined : at?.task, column, doc);
}

/** on an empty line after a task, the task above is the one being extended */
function nearestTaskAbove(result: AnalysisResult, path: string, offset: number): TaskRef | undefined {
  let best: TaskRef | undefined;
  for (const ref of result.facts.tasks) {
    if (ref.task.file.path !== path || ref.task.span.start > offset) continue;
    if (!best || ref.task.span.start > best.task.span.start) best = ref;
  }
  return best;
}
