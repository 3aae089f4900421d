/**
 * Which documents are playbooks. `ansible` documents always are; a `yaml` document only when its top level
 * is a list of plays (hosts/tasks/roles/import_playbook ...) or of tasks (a module key or block), so k8s
 * manifests, compose files and GitHub workflows (top-level mappings) are never claimed.
 */
import { isMap, isScalar, isSeq, parseDocument, type Pair } from 'yaml';
import { lookupModule } from '../../runtime/modules/catalog';
import { isKeyword } from '../../runtime/playbook/keywords';

export type DocumentKind = 'playbook' | 'tasks' | 'other';

const PLAY_KEYS = new Set(['hosts', 'import_playbook', 'ansible.builtin.import_playbook', 'include_playbook', 'roles', 'tasks', 'pre_tasks', 'post_tasks', 'handlers', 'gather_facts', 'vars_files']);
const MODELINE = /#\s*code:\s*language\s*=\s*ansible\b/;

function keysOf(item: unknown): string[] {
  if (!isMap(item)) return [];
  return item.items.map((p) => (isScalar((p as Pair).key) ? String(((p as Pair).key as { value: unknown }).value) : ''));
}

/** play or tasks, from the text alone */
export function classifyText(text: string): DocumentKind {
  return classify(text).kind;
}

/**
 * The keys of the first top-level list items, read from the lines (block style, the way playbooks are
 * written) without parsing the whole document: a 2,000-task playbook is classified from its first lines.
 * undefined when the layout is unusual (flow style, anchors at the top): then the YAML parser decides.
 */
function quickScan(text: string): { mapping: true } | { items: string[][] } | undefined {
  const items: string[][] = [];
  let current: string[] | undefined;
  let itemIndent = -1;
  let start = 0;
  for (let n = 0; n < 5000 && start <= text.length; n++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (/^\s*(#.*)?$/.test(line) || /^(---|\.\.\.)\s*(#.*)?$/.test(line) || line.startsWith('%')) continue;
    if (line.startsWith('-')) {
      const m = /^-(\s+)(.*)$/.exec(line);
      if (!m) return undefined;
      if (items.length >= 50) break;
      current = [];
      items.push(current);
      itemIndent = 1 + m[1].length;
      const key = /^(["']?)([^\s"':#{[][^"':#]*?)\1\s*:(\s|$)/.exec(m[2]);
      if (key) current.push(key[2]);
      else if (m[2].startsWith('{') || m[2].startsWith('&') || m[2].startsWith('!')) return undefined;
      continue;
    }
    if (!current) {
      // content at column 0 before any list item: a mapping (or a scalar document)
      if (/^["']?[^\s#-][^:]*?["']?\s*:(\s|$)/.test(line)) return { mapping: true };
      return undefined;
    }
    const indent = line.length - line.trimStart().length;
    if (indent === 0) return undefined;
    if (indent === itemIndent) {
      const key = /^(["']?)([^\s"':#{[][^"':#]*?)\1\s*:(\s|$)/.exec(line.slice(indent));
      if (key) current.push(key[2]);
    }
  }
  return items.length ? { items } : undefined;
}

function kindOfItems(items: string[][]): DocumentKind {
  let plays = 0;
  let tasks = 0;
  for (const keys of items) {
    if (keys.some((k) => PLAY_KEYS.has(k)) && !keys.includes('block')) {
      if (keys.includes('hosts') || keys.some((k) => k.endsWith('import_playbook'))) plays++;
      else if (keys.some((k) => PLAY_KEYS.has(k) && k !== 'roles' && k !== 'handlers')) plays++;
    }
    if (keys.some((k) => k === 'block' || k === 'action' || k === 'local_action' || k === 'include_tasks' || k === 'import_tasks' || (!isKeyword(k, 'task') && (lookupModule(k) !== undefined || /^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/.test(k))))) tasks++;
  }
  if (plays > 0 && plays >= tasks) return 'playbook';
  if (tasks > 0) return 'tasks';
  return 'other';
}

function classify(text: string): { kind: DocumentKind; mapping: boolean } {
  const quick = quickScan(text);
  if (quick && 'mapping' in quick) return { kind: 'other', mapping: true };
  if (quick) return { kind: kindOfItems(quick.items), mapping: false };
  return classifyByParse(text);
}

/** the same decision from a full YAML parse (the reference the line scan is tested against) */
export function classifyByParse(text: string): { kind: DocumentKind; mapping: boolean } {
  let doc;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: false, strict: false });
  } catch {
    return { kind: 'other', mapping: false };
  }
  const root = doc.contents;
  if (isMap(root)) return { kind: 'other', mapping: true };
  if (!isSeq(root) || root.items.length === 0) return { kind: 'other', mapping: false };
  return { kind: kindOfItems(root.items.slice(0, 50).map(keysOf)), mapping: false };
}

/**
 * The kind of a document as the server treats it: `ansible` documents (and YAML with the
 * `# code: language=ansible` modeline) are analysed as playbooks or task files even when empty or broken,
 * except top-level mappings (vars files, role meta, YAML inventories), which are not playbooks.
 */
export function classifyDocument(languageId: string, text: string): DocumentKind {
  const { kind: byText, mapping } = classify(text);
  if (languageId === 'ansible' || MODELINE.test(text.slice(0, 2000))) return byText === 'other' ? (mapping ? 'other' : 'playbook') : byText;
  if (languageId !== 'yaml') return 'other';
  return byText;
}
