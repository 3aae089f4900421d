/**
 * Mutated playbooks (lines dropped, duplicated, re-indented, characters changed) never make the model or the
 * budgets throw: every oddity becomes a problem with a span inside the file. A seeded generator keeps runs
 * reproducible.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePlaybook, walkPlay, walkPlays } from '../../../runtime/playbook';
import { playBudget, taskBudget } from '../../../runtime/waits';
import { exampleFiles, truthCases } from './corpus';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['{{', '}}', ': ', '- ', '"', "'", '[', ']', '{', '}', '&a ', '*a', '!unsafe ', '\t', '#', 'async: 5', 'poll: x', 'block:', 'until: r.finished', 'retries: -1', 'jid: "{{ r.ansible_job_id }}"', 'import_tasks: x.yml', '<<: *a'];

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const ops = 1 + Math.floor(random() * 4);
  for (let k = 0; k < ops; k++) {
    const i = Math.floor(random() * lines.length);
    switch (Math.floor(random() * 6)) {
      case 0:
        lines.splice(i, 1);
        break;
      case 1:
        lines.splice(i, 0, lines[Math.floor(random() * lines.length)] ?? '');
        break;
      case 2:
        lines[i] = ' '.repeat(Math.floor(random() * 4)) + (lines[i] ?? '');
        break;
      case 3:
        lines[i] = (lines[i] ?? '').replace(/^\s+/, (m) => m.slice(0, Math.max(0, m.length - 2)));
        break;
      case 4: {
        const line = lines[i] ?? '';
        const at = Math.floor(random() * (line.length + 1));
        lines[i] = line.slice(0, at) + SNIPPETS[Math.floor(random() * SNIPPETS.length)] + line.slice(at);
        break;
      }
      default: {
        const line = lines[i] ?? '';
        const at = Math.floor(random() * line.length);
        lines[i] = line.slice(0, at) + line.slice(at + 1 + Math.floor(random() * 3));
      }
    }
  }
  return lines.join('\n');
}

describe('robustness', () => {
  it('600 mutated playbooks: no exception, no internal error, spans inside the text', () => {
    const sources = [...exampleFiles(), ...truthCases().map((c) => c.playbook)].map((p) => readFileSync(p, 'utf8'));
    const random = rng(20261129);
    let problems = 0;
    const violations: string[] = [];
    for (let n = 0; n < 600; n++) {
      const text = mutate(sources[n % sources.length], random);
      const playbook = parsePlaybook('/tmp/mutated.yml', text);
      for (const p of playbook.problems) {
        if (p.code === 'internal') violations.push(`internal error: ${p.message}\n---\n${text}`);
        if (p.span.start < 0 || p.span.end > text.length || p.span.end < p.span.start) violations.push(`span ${p.span.start}-${p.span.end} outside ${text.length}: ${p.message}`);
      }
      problems += playbook.problems.length;
      for (const play of walkPlays(playbook)) {
        const budget = playBudget(play, { coreVersion: n % 2 ? '2.14' : '2.19' });
        if (typeof budget.text !== 'string' || !budget.text.startsWith('⏱')) violations.push(`play budget text: ${budget.text}`);
        for (const task of walkPlay(play)) {
          if (task.span.start < 0 || task.headSpan.end > text.length) violations.push(`task span ${task.span.start}-${task.headSpan.end}`);
          try {
            taskBudget(task, { play });
          } catch (error) {
            violations.push(`taskBudget threw ${String(error)}\n---\n${text}`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
    // the mutations do break things: most runs report something
    expect(problems).toBeGreaterThan(300);
  }, 180_000);
});
