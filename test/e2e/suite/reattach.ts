/** The `extensionTestsPath` entry of the second window of the reload test. */
import { runSuites } from './index';

export function run(): Promise<void> {
  return runSuites(() => import('./reattach.test'));
}
