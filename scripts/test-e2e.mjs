// End-to-end tests in a real VS Code (code-server from npm, driven by Debian's Chromium):
//   1. installs the VS Code host when missing (test/vscode-host/install.sh), builds the extension and the tests;
//   2. the grammar tests (VS Code's TextMate engine on our grammar);
//   3. the integration tests inside the extension host through @vscode/test-electron's runTests, against the
//      private test sshd, then a second window on the same workspace for the reload/re-attach test;
//   4. the Playwright UI scenario, which saves screenshots to test-results/screenshots/.
// Exits non-zero when anything fails. Options: --no-build, --only=grammar|integration|ui (repeatable),
// --suites=language,run,reload (integration suites inside VS Code),
// --keep (keep the temporary workspaces and VS Code profiles). PS_VSCODE_HOST_LOG=1 shows code-server's output.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const argv = process.argv.slice(2);
const only = argv.filter((a) => a.startsWith('--only=')).map((a) => a.slice('--only='.length));
const wants = (part) => only.length === 0 || only.includes(part);
const keep = argv.includes('--keep');
const suites = argv.find((a) => a.startsWith('--suites='))?.slice('--suites='.length);
const hostCount = 3;
const results = [];
const temps = [];

function step(name, fn, critical = false) {
  const run = async () => {
    const started = Date.now();
    process.stdout.write(`\n=== ${name}\n`);
    let ok = false;
    try {
      ok = (await fn()) !== false;
    } catch (error) {
      console.error(error?.stack ?? String(error));
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    results.push({ name, ok, seconds });
    process.stdout.write(`=== ${name}: ${ok ? 'passed' : 'FAILED'} (${seconds} s)\n`);
    return ok;
  };
  run.critical = critical;
  return run;
}

function sh(command, args, options = {}) {
  const child = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (child.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${child.status ?? child.signal}`);
  return child;
}

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A fresh copy of the fixture workspace wired to the test sshd (inventory, known_hosts, settings). */
function prepareWorkspace(sshd) {
  const workspace = join(tempDir('ps-e2e-ws-'), 'workspace');
  cpSync(join(root, 'test', 'fixtures', 'e2e', 'workspace'), workspace, { recursive: true });
  const inventory = ['[test]'];
  for (let i = 0; i < hostCount; i++) inventory.push(`h${i + 1} ansible_host=${sshd.hosts[i]}`);
  inventory.push('', '[all:vars]', `ansible_port=${sshd.port}`, `ansible_user=${sshd.user}`, `ansible_ssh_private_key_file=${sshd.privateKey}`, '');
  writeFileSync(join(workspace, 'inventory.ini'), inventory.join('\n'));
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      {
        'playbookStudio.inventory': 'inventory.ini',
        'playbookStudio.knownHostsPath': sshd.knownHosts,
        'playbookStudio.hostKeyPolicy': 'strict',
        'playbookStudio.forks': 10,
      },
      null,
      2,
    ),
  );
  mkdirSync(join(workspace, '.e2e'), { recursive: true });
  // The test host's client key again, encrypted with a passphrase: same public key, so the sshd accepts it.
  const passphrase = 'correct horse battery staple';
  const lockedKey = join(workspace, '.e2e', 'locked_ed25519');
  cpSync(sshd.privateKey, lockedKey);
  chmodSync(lockedKey, 0o600);
  sh('ssh-keygen', ['-q', '-p', '-P', '', '-N', passphrase, '-f', lockedKey], { stdio: ['ignore', 'ignore', 'inherit'] });
  const lockedInventory = inventory.map((line) => line.replace(/^ansible_ssh_private_key_file=.*/, `ansible_ssh_private_key_file=${lockedKey}`));
  writeFileSync(join(workspace, 'inventory-passphrase.ini'), lockedInventory.join('\n'));
  writeFileSync(
    join(workspace, '.e2e', 'config.json'),
    JSON.stringify({ sshd, inventory: join(workspace, 'inventory.ini'), hostCount, passphrase: { inventory: 'inventory-passphrase.ini', keyFile: lockedKey, passphrase } }, null, 2),
  );
  return workspace;
}

const launcher = join(root, 'test', 'vscode-host', 'code');

async function runInVsCode({ workspace, profile, entry }) {
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'out', 'test', 'e2e', entry),
      launchArgs: [workspace, `--user-data-dir=${join(profile, 'user-data')}`, `--extensions-dir=${join(profile, 'extensions')}`],
      extensionTestsEnv: suites ? { PS_E2E_SUITES: suites } : undefined,
    });
    return true;
  } catch (error) {
    console.error(String(error?.message ?? error));
    return false;
  }
}

let sshd;
let startedSshd = false;
const sshdDir = join(root, '.scratch', 'sshd-e2e');
function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
const steps = [
  step('install the VS Code host (code-server + Node 24) when missing', () => {
    sh('sh', [join(root, 'test', 'vscode-host', 'install.sh')]);
  }, true),
  step('build', () => {
    if (!argv.includes('--no-build')) sh(process.execPath, ['scripts/build.mjs']);
    sh(process.execPath, ['scripts/build-e2e.mjs']);
  }, true),
];
if (wants('grammar')) {
  steps.push(step('grammar tests', () => {
    sh(process.execPath, [join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--timeout', '60000', 'test/e2e/grammar/*.test.mjs']);
  }));
}
if (wants('integration') || wants('ui')) {
  steps.push(step('test sshd', () => {
    // A host of its own: the vitest runs' global setup stops the shared .scratch/sshd when it started it, which
    // must not happen under a VS Code run that is using it.
    const alive = existsSync(join(sshdDir, 'pids')) && readFileSync(join(sshdDir, 'pids'), 'utf8').trim().split(/\s+/).every((pid) => isAlive(Number(pid)));
    const out = sh(join(root, 'test', 'host', 'start-sshd.sh'), [sshdDir, '8'], { stdio: ['ignore', 'pipe', 'inherit'] });
    startedSshd = !alive;
    sshd = JSON.parse(readFileSync(out.stdout.toString().trim().split('\n').pop(), 'utf8'));
  }, true));
}
if (wants('integration')) {
  steps.push(async () => {
    const workspace = prepareWorkspace(sshd);
    const profile = tempDir('ps-e2e-profile-');
    const first = await step('integration tests in VS Code', () => runInVsCode({ workspace, profile, entry: 'index.js' }))();
    if (!first) results.push({ name: 'reload: a new window re-attaches to running jobs', ok: false, seconds: '0.0', skipped: true });
    else if (!suites || suites.includes('reload')) await step('reload: a new window re-attaches to running jobs', () => runInVsCode({ workspace, profile, entry: 'reattach.js' }))();
    else results.push({ name: 'reload: a new window re-attaches to running jobs', ok: true, seconds: '0.0', skipped: true });
  });
}
if (wants('ui')) {
  steps.push(step('UI scenario in Chromium (screenshots in test-results/screenshots/)', () => {
    const workspace = prepareWorkspace(sshd);
    const profile = tempDir('ps-e2e-ui-');
    sh(process.execPath, [join(root, 'test', 'e2e', 'ui', 'scenario.mjs'), `--workspace=${workspace}`, `--profile=${profile}`, `--screenshots=${join(root, 'test-results', 'screenshots')}`]);
  }));
}

for (const run of steps) {
  const ok = await run();
  if (!ok && run.critical) break; // no host, no build or no sshd: nothing after it can run
}
if (startedSshd && !keep) spawnSync(join(root, 'test', 'host', 'stop-sshd.sh'), [sshdDir], { stdio: 'inherit' });
if (!keep) for (const dir of temps) rmSync(dir, { recursive: true, force: true });
else if (temps.length) console.log(`kept: ${temps.join(' ')}`);

console.log('\nsummary:');
for (const r of results) console.log(`  ${r.skipped ? 'skip' : r.ok ? 'ok  ' : 'FAIL'}  ${r.name} (${r.seconds} s)`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
