/** The integer task keywords the value rules look at, and how the target version converts each. */
import { coreAtLeast } from '../../../runtime/playbook/core-version';

export const NUMERIC_KEYWORDS = ['async', 'poll', 'retries', 'delay', 'timeout'] as const;
export type NumericKeyword = (typeof NUMERIC_KEYWORDS)[number];

/** delay became a float field in 2.17.5; everything else is int() */
export function isFloatField(key: NumericKeyword, coreVersion: string): boolean {
  return key === 'delay' && coreAtLeast(coreVersion, '2.17.5');
}
