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

function classify(text: string): { kind: DocumentKind; mapping: boolean } {
  let doc;
  try {
    doc = parseDocument(text, { version: '1.1', uniqueKeys: false, strict: false });
  } catch {
    return { kind: 'other', mapping: false };
  }
  const root = doc.contents;
  if (isMap(root)) return { kind: 'other', mapping: true };
  if (!isSeq(root) || root.items.length === 0) return { kind: 'other', mapping: false };
  let plays = 0;
  let tasks = 0;
  for (const item of root.items.slice(0, 50)) {
    const keys = keysOf(item);
    if (keys.some((k) => PLAY_KEYS.has(k)) && !keys.includes('block')) {
      if (keys.includes('hosts') || keys.some((k) => k.endsWith('import_playbook'))) plays++;
      else if (keys.some((k) => PLAY_KEYS.has(k) && k !== 'roles' && k !== 'handlers')) plays++;
    }
    if (keys.some((k) => k === 'block' || k === 'action' || k === 'local_action' || k === 'include_tasks' || k === 'import_tasks' || (!isKeyword(k, 'task') && (lookupModule(k) !== undefined || /^[a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+$/.test(k))))) tasks++;
  }
  if (plays > 0 && plays >= tasks) return { kind: 'playbook', mapping: false };
  if (tasks > 0) return { kind: 'tasks', mapping: false };
  return { kind: 'other', mapping: false };
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
