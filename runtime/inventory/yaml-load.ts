/**
 * YAML the way Ansible reads it (PyYAML, YAML 1.1: `yes` is true, `0644` is octal), through the playbook
 * reader's parser so inventories, vars files and playbooks agree; errors become InventoryError at file:line:col.
 */
import { LineCounter, type Node } from 'yaml';
import { parseYaml, toJS, type YamlDoc } from '../playbook/yaml-nodes';
import type { Diagnostic } from '../playbook/model';
import { InventoryError, type SourceLocation } from './model';

export interface LoadedYaml {
  doc: YamlDoc;
  /** where a node starts */
  at(node: Node | null | undefined): SourceLocation;
  /** a node as plain JS */
  js(node: unknown): unknown;
}

export function loadYaml(text: string, file: string): LoadedYaml {
  const lines = new LineCounter();
  let offset = 0;
  for (const line of text.split('\n')) {
    lines.addNewLine(offset);
    offset += line.length + 1;
  }
  const problems: Diagnostic[] = [];
  const source = {
    path: file,
    text,
    position: (at: number) => {
      const pos = lines.linePos(at);
      return { line: pos.line - 1, character: pos.col - 1 };
    },
  };
  const doc = parseYaml(source, problems);
  const error = problems.find((p) => p.severity === 'error');
  if (error) {
    const pos = lines.linePos(error.span.start);
    throw new InventoryError({ file, line: pos.line, col: pos.col }, `YAML syntax error: ${error.message}`);
  }
  return {
    doc,
    at: (node) => {
      const pos = lines.linePos(node?.range?.[0] ?? 0);
      return { file, line: pos.line, col: pos.col };
    },
    js: (node) => toJS(doc, node),
  };
}
