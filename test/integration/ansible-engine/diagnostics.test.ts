import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callbackEnvironment, readDefaults } from '../../../runtime/engines/ansible/callback-config';
import { ansiblePlaybookArgs, sshCommonArgs } from '../../../runtime/engines/ansible/command-line';
import { parseErrors, StderrReader, type Diagnostic } from '../../../runtime/engines/ansible/diagnostics';
import { parseAnsibleVersion } from '../../../runtime/engines/ansible/locate';
import { PluginStreamReader } from '../../../runtime/engines/ansible/event-stream';
import { EventEmitter } from '../../../runtime/events/emitter';
import type { RunOptions } from '../../../runtime/engines/types';

// stderr as printed by ansible-core 2.14.18 (truth case 13) and in the 2.19 format.
const classic = `ERROR! 'poll' is not a valid attribute for a TaskInclude

The error appears to be in '/p/playbook.yml': line 10, column 7, but may
be elsewhere in the file depending on the exact syntax problem.

The offending line appears to be:


    - name: include with async
      ^ here
`;
const yamlError = `ERROR! We were unable to read either as JSON nor YAML, these are the errors we got from each:
JSON: Expecting value: line 1 column 1 (char 0)

Syntax Error while loading YAML.
  mapping values are not allowed in this context

The error appears to be in '/p/bad.yml': line 3, column 9, but may
be elsewhere in the file depending on the exact syntax problem.
`;
const modern = `[ERROR]: 'poll' is not a valid attribute for a TaskInclude
Origin: /p/playbook.yml:10:7

10     - name: include with async
         ^ column 7
`;

describe('ansible engine: stderr diagnostics', () => {
  it('reads ERROR! blocks with their position (2.14-2.18)', () => {
    expect(parseErrors(classic)).toEqual([
      { severity: 'error', message: "'poll' is not a valid attribute for a TaskInclude", position: { file: '/p/playbook.yml', line: 10, column: 7 } },
    ]);
    const [error] = parseErrors(yamlError);
    expect(error!.position).toEqual({ file: '/p/bad.yml', line: 3, column: 9 });
    expect(error!.message).toContain('mapping values are not allowed in this context');
  });

  it('reads [ERROR]: blocks with an Origin (2.19)', () => {
    expect(parseErrors(modern)).toEqual([
      { severity: 'error', message: "'poll' is not a valid attribute for a TaskInclude", position: { file: '/p/playbook.yml', line: 10, column: 7 } },
    ]);
  });

  it('keeps errors without a position and ignores plain stderr noise', () => {
    expect(parseErrors('ERROR! the playbook: nope.yml could not be found\n')).toEqual([{ severity: 'error', message: 'the playbook: nope.yml could not be found' }]);
    expect(parseErrors('some noise\n')).toEqual([]);
  });

  it('joins wrapped warning lines and emits each warning once, across chunk boundaries', () => {
    const warnings: Diagnostic[] = [];
    const reader = new StderrReader((d) => warnings.push(d));
    reader.push('[WARNING]: conditional statements should not include jinja2 templating\ndelimi');
    reader.push('ters such as {{ }} or {% %}. Found: {{ ujinja.rc == 0 }}\n[DEPRECATION WARNING]: old thing.\n');
    expect(reader.finish()).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      'conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: {{ ujinja.rc == 0 }}',
      'old thing.',
    ]);
  });
});

describe('ansible engine: command line and callback settings', () => {
  const base: RunOptions = {
    playbook: 'site.yml', inventories: ['a', 'b'], extraVars: ['x=1', '@vars.yml'], forks: 3, tags: ['t1', 't2'], skipTags: ['s'],
    check: true, diff: true, coreVersion: '2.14', instantJoins: false, killJobsOnCancel: false, hostKeyPolicy: 'strict',
    privateKey: '/k/id', events: new EventEmitter('x'), signal: new AbortController().signal, limit: 'web',
  };

  it('maps run options onto ansible-playbook flags', () => {
    expect(ansiblePlaybookArgs(base)).toEqual([
      '-i', 'a', '-i', 'b', '-l', 'web', '-e', 'x=1', '-e', '@vars.yml', '-f', '3', '--tags', 't1,t2', '--skip-tags', 's',
      '--check', '--diff', '--private-key', '/k/id', 'site.yml',
    ]);
  });

  it('passes -v… on to ansible-playbook, up to the six it counts', () => {
    expect(ansiblePlaybookArgs({ ...base, verbosity: 0 })).not.toContain('-v');
    expect(ansiblePlaybookArgs({ ...base, verbosity: 3 }).slice(-2)).toEqual(['-vvv', 'site.yml']);
    expect(ansiblePlaybookArgs({ ...base, verbosity: 9 })).toContain('-vvvvvv');
  });

  it('verifies host keys with the given known_hosts for every policy (prompt cannot prompt, so it is strict)', () => {
    expect(sshCommonArgs({ hostKeyPolicy: 'strict', knownHosts: "/a b/k'h" })).toBe(`-o UserKnownHostsFile='/a b/k'\\''h' -o StrictHostKeyChecking=yes`);
    expect(sshCommonArgs({ hostKeyPolicy: 'accept-new' }, '-o Foo=1')).toBe('-o Foo=1 -o StrictHostKeyChecking=accept-new');
    expect(sshCommonArgs({ hostKeyPolicy: 'prompt' })).toBe('-o StrictHostKeyChecking=yes');
  });

  it("keeps the user's callbacks from ansible.cfg and adds ours", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ps-ansible-cfg-'));
    mkdirSync(join(dir, 'cb'));
    writeFileSync(join(dir, 'ansible.cfg'), '[defaults]\ncallbacks_enabled = timer, profile_tasks ; comment\ncallback_plugins = cb:/opt/cb\n[other]\ncallbacks_enabled=nope\n');
    expect(readDefaults('[defaults]\nforks: 9\n').get('forks')).toBe('9');
    expect(callbackEnvironment('/ours', { HOME: dir }, dir)).toEqual({
      ANSIBLE_CALLBACKS_ENABLED: 'timer,profile_tasks,playbook_studio',
      ANSIBLE_CALLBACK_PLUGINS: `/ours:${join(dir, 'cb')}:/opt/cb`,
    });
    expect(callbackEnvironment('/ours', { HOME: dir, ANSIBLE_CALLBACKS_ENABLED: 'junit', ANSIBLE_CALLBACK_PLUGINS: '/x' }, dir)).toEqual({
      ANSIBLE_CALLBACKS_ENABLED: 'junit,playbook_studio',
      ANSIBLE_CALLBACK_PLUGINS: '/ours:/x',
    });
  });

  it('parses ansible-playbook --version for old and new cores', () => {
    expect(parseAnsibleVersion('ansible-playbook [core 2.14.18]\n  config file = None\n')).toBe('2.14.18');
    expect(parseAnsibleVersion('ansible-playbook [core 2.19.0rc1]\n')).toBe('2.19.0rc1');
    expect(parseAnsibleVersion('ansible-playbook 2.10.17\n')).toBe('2.10.17');
  });

  it('reads the plugin stream across chunk boundaries, holds the recap and reports garbage', () => {
    const seen: string[] = [];
    const reader = new PluginStreamReader({
      event: (e) => seen.push(e.event),
      stats: (s) => seen.push(`stats:${Object.keys(s).join(',')}`),
      garbage: (line) => seen.push(`garbage:${line}`),
    });
    const text = '{"event": "runner_on_start", "seq": 99, "host": "h1"}\nnot json\n{"event": "playbook_on_start"}\n{"event": "future_thing"}\n{"event": "playbook_on_stats", "stats": {"h1": {}}}\n{"event": "runner_on_ok"';
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7));
    reader.end();
    expect(seen).toEqual(['runner_on_start', 'garbage:not json', 'stats:h1', 'garbage:{"event": "runner_on_ok"']);
  });
});
