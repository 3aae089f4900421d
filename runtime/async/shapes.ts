/**
 * Result fields whose type depends on the ansible-core line: up to 2.18 `started`/`finished`/`failed` in async
 * results are the ints 0/1 (async_wrapper and async_status are Python modules that never converted them);
 * 2.19 turns them into booleans. Everything that builds such a field goes through `flag` so one setting decides.
 */
import { coreAtLeast } from '../playbook/core-version';

export type Flag = number | boolean;

export function usesBooleanFlags(coreVersion: string): boolean {
  return coreAtLeast(coreVersion, '2.19');
}

export function flag(coreVersion: string, value: boolean): Flag {
  return usesBooleanFlags(coreVersion) ? value : value ? 1 : 0;
}

/** Python's truthiness of a status field as read back from a file (0, 1, true, false, "1", ...). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  return true;
}

/** Python's str.splitlines(): what Ansible uses to derive stdout_lines / stderr_lines. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
