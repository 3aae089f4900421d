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

/** PS_E2E_SUITES=language,run,hostkeys,reload picks suites (scripts/test-e2e.mjs --suites=…); default: all. */
export function run(): Promise<void> {
  const wanted = (process.env.PS_E2E_SUITES ?? 'language,run,hostkeys,reload').split(',');
  return runSuites(async () => {
    if (wanted.includes('language')) await import('./language.test');
    if (wanted.includes('run')) await import('./run.test');
    if (wanted.includes('hostkeys')) await import('./hostkeys.test');
    if (wanted.includes('reload')) await import('./reattach-start.test');
  });
}
