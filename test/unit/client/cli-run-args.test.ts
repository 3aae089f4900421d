/**
 * The extension's engine settings reach the CLI: the request and arguments the Run command builds
 * (client/run/options.ts, reading `playbookStudio.*` through a stand-in for VS Code's configuration and workspace
 * state) are parsed by the CLI's own parser.
 */
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const configured: Record<string, unknown> = {};

vi.mock('vscode', () => ({
  Uri: { file: (fsPath: string) => ({ fsPath, scheme: 'file' }) },
  workspace: {
    getWorkspaceFolder: () => ({ uri: { fsPath: '/work/site' }, name: 'site', index: 0 }),
    getConfiguration: (section: string) => {
      if (section !== 'playbookStudio') throw new Error(`unexpected configuration section ${section}`);
      return { get: <T>(key: string, fallback: T): T => (key in configured ? (configured[key] as T) : fallback) };
    },
  },
}));

const { buildRequest, cliRunArgs } = await import('../../../client/run/options');
const { parseRunArgs } = await import('../../../cli/run/args');

const folder = '/work/site';
const request = { playbook: join(folder, 'site.yml'), cwd: folder, inventory: join(folder, 'hosts'), engine: 'ansible' as const };

/** what the CLI makes of the client's arguments (without the leading `run`) */
function cliSees(overrides: Partial<typeof request> | { engine: 'bundled' } = {}) {
  const args = cliRunArgs({ ...request, ...overrides }, '/tmp/journal.jsonl');
  expect(args[0]).toBe('run');
  return parseRunArgs(args.slice(1));
}

describe('Run command → CLI arguments for the engine settings', () => {
  beforeEach(() => {
    for (const key of Object.keys(configured)) delete configured[key];
  });

  it('passes the ansible engine and the ansible-playbook path setting, resolved against the workspace folder', () => {
    configured.ansiblePlaybookPath = 'venv/bin/ansible-playbook';
    const parsed = cliSees();
    expect(parsed.engine).toBe('ansible');
    expect(parsed.ansiblePlaybook).toBe(join(folder, 'venv/bin/ansible-playbook'));
    expect(parsed.events).toBe('-');
  });

  it('keeps a bare command name for the CLI to find on PATH, and leaves the option out when the setting is empty', () => {
    configured.ansiblePlaybookPath = 'ansible-playbook-2.14';
    expect(cliSees().ansiblePlaybook).toBe('ansible-playbook-2.14');
    delete configured.ansiblePlaybookPath;
    const parsed = cliSees();
    expect(parsed.engine).toBe('ansible');
    expect(parsed.ansiblePlaybook).toBeUndefined();
  });

  it('does not pass the ansible-playbook path to the bundled engine', () => {
    configured.ansiblePlaybookPath = '/opt/ansible/bin/ansible-playbook';
    const parsed = cliSees({ engine: 'bundled' });
    expect(parsed.engine).toBe('bundled');
    expect(parsed.ansiblePlaybook).toBeUndefined();
  });

  it('follows playbookStudio.engine on every plain run, not only the first one of a playbook', async () => {
    const stored = new Map<string, unknown>();
    const state = { get: <T>(key: string, fallback: T): T => (stored.has(key) ? (stored.get(key) as T) : fallback), update: async (key: string, value: unknown) => void stored.set(key, value) };
    const playbook = { fsPath: request.playbook, scheme: 'file' };
    configured.inventory = 'hosts';
    const engineOfRun = async (): Promise<string> => {
      const built = await buildRequest(state as never, playbook as never, false);
      expect(built).toBeDefined();
      return parseRunArgs(cliRunArgs(built!, '/tmp/journal.jsonl').slice(1)).engine;
    };
    configured.engine = 'ansible';
    expect(await engineOfRun()).toBe('ansible');
    configured.engine = 'bundled';
    expect(await engineOfRun()).toBe('bundled');
    // an engine picked for this playbook in "Run with options" is remembered and wins over the setting
    stored.set(`playbookStudio.runOptions:${request.playbook}`, { inventory: request.inventory, engine: 'ansible' });
    expect(await engineOfRun()).toBe('ansible');
  });
});
