/**
 * One analysis of one document: text → model (runtime/playbook) → budgets (runtime/waits) → findings (rules).
 * Shared by the language server and `playbook-studio check`; never throws.
 */
import { dirname } from 'node:path';
import { parsePlaybook, parseTaskFile } from '../../runtime/playbook/parse';
import type { Play, Playbook, Task } from '../../runtime/playbook/model';
import { createSourceFile } from '../../runtime/playbook/source';
import { walkTasks } from '../../runtime/playbook/walk';
import { playBudget, taskBudget, type PlayBudget, type TaskBudget } from '../../runtime/waits';
import { buildFacts, type AnalysisFacts } from './facts';
import { runRules, type RuleFailure } from './registry';
import type { AnalysisSettings, Finding } from './types';
import { isActionTask, playsOf } from './walk';

export type DocumentKind = 'playbook' | 'tasks';

export interface TaskBudgetRow {
  task: Task;
  play?: Play;
  budget: TaskBudget;
}

export interface PlayBudgetRow {
  play: Play;
  /** index of the top-level entry in the document */
  index: number;
  budget: PlayBudget;
}

export interface AnalysisResult {
  path: string;
  kind: DocumentKind;
  playbook: Playbook;
  looseTasks: Task[];
  facts: AnalysisFacts;
  findings: Finding[];
  /** computed on first access */
  readonly taskBudgets: TaskBudgetRow[];
  /** computed on first access */
  readonly playBudgets: PlayBudgetRow[];
  /** rules that threw (their findings are missing); never shown as diagnostics, logged by the server */
  failures: RuleFailure[];
  /** absolute paths of the files read for imports (the server re-analyses when one of them changes) */
  dependencies: string[];
  millis: number;
}

export interface AnalyzeOptions {
  kind?: DocumentKind;
  settings: AnalysisSettings;
  /** reads imported files; undefined when unreadable */
  readFile?(path: string): string | undefined;
}

/**
 * Budgets are computed on first use: diagnostics do not need them, so the first diagnostics of a large
 * playbook are not held up by them (inlay hints, code lenses, hovers and the CLI ask for them).
 */
function computeBudgets(playbook: Playbook, looseTasks: Task[], settings: AnalysisSettings, failures: RuleFailure[]) {
  const taskBudgets: TaskBudgetRow[] = [];
  const playBudgets: PlayBudgetRow[] = [];
  for (const { play, index } of playsOf(playbook)) {
    try {
      const budget = playBudget(play, { coreVersion: settings.coreVersion });
      playBudgets.push({ play, index, budget });
      for (const part of budget.parts) taskBudgets.push({ task: part.task, play, budget: part.budget });
    } catch (error) {
      failures.push({ code: 'budget', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    }
  }
  if (looseTasks.length) {
    const ordered = [...walkTasks(looseTasks)];
    for (const task of ordered) {
      if (!isActionTask(task)) continue;
      try {
        taskBudgets.push({ task, budget: taskBudget(task, { coreVersion: settings.coreVersion, ordered }) });
      } catch (error) {
        failures.push({ code: 'budget', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    }
  }
  return { taskBudgets, playBudgets };
}

export function analyzeText(path: string, text: string, options: AnalyzeOptions): AnalysisResult {
  const started = performance.now();
  const dependencies = new Set<string>();
  const readFile = options.readFile
    ? (p: string) => {
        dependencies.add(p);
        return options.readFile!(p);
      }
    : undefined;
  const kind: DocumentKind = options.kind ?? 'playbook';
  let playbook: Playbook;
  let looseTasks: Task[] = [];
  if (kind === 'tasks') {
    const tf = parseTaskFile(path, text, { readFile, playbookDir: dirname(path) });
    playbook = { file: tf.file, plays: [], problems: tf.problems };
    looseTasks = tf.tasks;
  } else {
    playbook = parsePlaybook(path, text, { readFile });
  }
  const settings = options.settings;
  const facts = buildFacts(playbook, looseTasks, settings.coreVersion);
  const { findings, failures } = runRules({ playbook, settings, facts });

  let budgets: ReturnType<typeof computeBudgets> | undefined;
  const lazyBudgets = () => (budgets ??= computeBudgets(playbook, looseTasks, settings, failures));
  return {
    path, kind, playbook, looseTasks, facts, findings, failures,
    get taskBudgets() {
      return lazyBudgets().taskBudgets;
    },
    get playBudgets() {
      return lazyBudgets().playBudgets;
    },
    dependencies: [...dependencies], millis: performance.now() - started,
  };
}

/** an empty result for documents that could not even be read */
export function emptyResult(path: string, text: string, settings: AnalysisSettings): AnalysisResult {
  const file = createSourceFile(path, text);
  const playbook: Playbook = { file, plays: [], problems: [] };
  void settings;
  return { path, kind: 'playbook', playbook, looseTasks: [], facts: buildFacts(playbook), findings: [], taskBudgets: [], playBudgets: [], failures: [], dependencies: [], millis: 0 };
}
