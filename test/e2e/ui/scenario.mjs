// The UI scenario in a real VS Code (code-server) and Debian's Chromium, as a user would do it: open the playbook,
// see the squiggle and its hover, run it from the "▶ Run playbook" code lens, and watch the Jobs tree while the
// jobs run and after they finish. Screenshots go to --screenshots (test-results/screenshots/ by default).
//
// Usage: node test/e2e/ui/scenario.mjs --workspace=DIR [--profile=DIR] [--screenshots=DIR]
// The workspace is a prepared copy of test/fixtures/e2e/workspace (scripts/test-e2e.mjs makes one).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, startCodeServer, workbenchUrl } from '../../vscode-host/launch.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const workspace = option('workspace');
const profile = option('profile', mkdtempSync(join(tmpdir(), 'ps-ui-')));
const screenshots = resolve(option('screenshots', join(root, 'test-results', 'screenshots')));
if (!workspace) {
  console.error('usage: scenario.mjs --workspace=DIR [--profile=DIR] [--screenshots=DIR]');
  process.exit(2);
}
mkdirSync(screenshots, { recursive: true });

const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

async function shoot(page, name) {
  const path = join(screenshots, name);
  await page.screenshot({ path, timeout: 120_000 });
  log(`screenshot ${path}`);
}

/** Text of every row of the Jobs tree (label and description). */
async function jobRows(page) {
  return page.locator('.part.sidebar .monaco-list-row').allInnerTexts();
}

async function scenario(page) {
  await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath: [root] }), { waitUntil: 'commit', timeout: 120_000 });
  // The activity-bar item appears once the extension's contributions are in; waiting for it also makes sure the
  // command list is current before anything is run.
  const activity = page.locator('.activitybar .action-item a[aria-label^="Playbook Studio"]');
  await activity.waitFor({ timeout: 240_000 });
  log('workbench up, Playbook Studio in the activity bar');

  // Open playbooks/ui.yml from the Explorer (Quick Open depends on the file search index, slow on a busy machine).
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('Control+Shift+E');
  const folder = page.locator('.part.sidebar .monaco-list-row[aria-label="playbooks"]').first();
  await folder.waitFor({ timeout: 60_000 });
  if ((await folder.getAttribute('aria-expanded')) !== 'true') await folder.click();
  await page.locator('.part.sidebar .monaco-list-row[aria-label="ui.yml"]').first().click({ timeout: 60_000 });
  await page.locator('.tab.active[aria-label*="ui.yml"], .tab.active:has-text("ui.yml")').first().waitFor({ timeout: 60_000 });
  log('ui.yml open');

  // The language server's finding: a squiggle under the join's retries, with the numbers in the hover.
  const squiggle = page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').first();
  await squiggle.waitFor({ state: 'attached', timeout: 120_000 });
  log('squiggle shown');
  const box = await squiggle.boundingBox();
  if (!box) throw new Error('squiggle has no box');
  await page.mouse.move(box.x + Math.min(8, box.width / 2), box.y + box.height / 2);
  const hover = page.locator('.monaco-hover:visible').filter({ hasText: /waits at most|retries/ }).first();
  await hover.waitFor({ timeout: 60_000 });
  const hoverText = await hover.innerText();
  if (!/20 s/.test(hoverText) || !/600 s/.test(hoverText)) throw new Error(`hover does not name the budget (20 s) and the limit (600 s): ${hoverText}`);
  log(`hover: ${hoverText.split('\n')[0].slice(0, 120)}`);
  await shoot(page, '01-squiggle-and-hover.png');
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');

  // Run it from the code lens above the play.
  const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run playbook' }).first();
  await lens.waitFor({ timeout: 120_000 });
  await lens.click();
  log('clicked ▶ Run playbook');

  // The Jobs view opens with the run; background jobs show as running rows.
  await page.locator('.part.sidebar .monaco-list-row', { hasText: 'ui.yml' }).first().waitFor({ timeout: 60_000 });
  await page.waitForFunction(
    () => [...document.querySelectorAll('.part.sidebar .monaco-list-row')].some((row) => /job j\S+\s*running/.test(row.textContent ?? '')),
    undefined,
    { timeout: 120_000, polling: 100 },
  );
  const running = (await jobRows(page)).filter((row) => /running/.test(row));
  log(`jobs running: ${running.length}`);
  // The status bar names the live run (`▶ ui.yml <tasks> · <n> jobs`); reported, not required: on a slow machine
  // the run may be over before the status bar is looked at.
  const status = await page.locator('.statusbar-item', { hasText: /ui\.yml \d+/ }).first().innerText({ timeout: 5_000 }).catch(() => '(not shown any more)');
  log(`status bar: ${status.replace(/\s+/g, ' ')}`);
  await shoot(page, '02-jobs-running.png');

  // Every job finishes; the run ends ok.
  await page.waitForFunction(
    () => {
      const rows = [...document.querySelectorAll('.part.sidebar .monaco-list-row')].map((row) => row.textContent ?? '');
      const jobs = rows.filter((row) => /job j\S+/.test(row));
      return jobs.length >= 3 && jobs.every((row) => /finished/.test(row)) && rows.some((row) => /ui\.yml\s*ok/.test(row));
    },
    undefined,
    { timeout: 180_000, polling: 200 },
  );
  const rows = await jobRows(page);
  log(`all jobs finished: ${rows.filter((row) => /job j/.test(row)).length} job rows`);
  await shoot(page, '03-jobs-finished.png');
}

const server = await startCodeServer({ userDataDir: join(profile, 'user-data'), extensionsDir: join(profile, 'extensions') });
const browser = await launchBrowser(join(profile, 'chromium'));
let code = 0;
try {
  const page = browser.pages()[0] ?? (await browser.newPage());
  await scenario(page);
  log('UI scenario passed');
} catch (error) {
  code = 1;
  console.error(`UI scenario failed: ${error?.stack ?? error}`);
  const page = browser.pages()[0];
  if (page) await shoot(page, 'failure.png').catch(() => undefined);
} finally {
  await browser.close().catch(() => undefined);
  await server.stop();
}
process.exit(code);
