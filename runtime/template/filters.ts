/** The filter table: Jinja's built-ins plus Ansible's, looked up by short name (FQCN prefixes are stripped). */
import { ANSIBLE_FILTERS } from './filters-ansible';
import { JINJA_FILTERS } from './filters-jinja';
import type { FilterDef } from './scope';

export const FILTERS: ReadonlyMap<string, FilterDef> = new Map<string, FilterDef>([...JINJA_FILTERS, ...ANSIBLE_FILTERS]);

/**
 * Filters whose string result Ansible keeps a string (NativeJinjaText in 2.14 native mode, and the
 * `_no_type_regex` check in string mode): their output is never turned back into a list/dict/number.
 */
export const STRING_TYPE_FILTERS: ReadonlySet<string> = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json']);
