/**
 * Mocha inside VS Code's extension host (the `extensionTestsPath` entry). Suites are imported after mocha has set
 * up its globals; the reload test's second half has its own entry (reattach.ts).
 */
import Mocha from 'mocha';

export async function runSuites(load: () => Promise<unknown>): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'e2e', mocha);
  await load();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} e2e test(s) failed`);
}

export function run(): Promise<void> {
  const only = process.env.PS_E2E_GREP;
  return runSuites(async () => {
    if (only === 'language') return import('./language.test');
    await import('./language.test');
    await import('./run.test');
    await import('./reattach-start.test');
  });
}
