/** Module catalog: names, async support per version (against recorded case 12), messages, time bounds. */
import { describe, expect, it } from 'vitest';
import {
  allModules,
  canonicalModuleName,
  lookupModule,
  lookupOption,
  supportsAsync,
  unsupportedAsyncMessage,
} from '../../../runtime/modules/catalog';
import { walkPlay } from '../../../runtime/playbook';
import { taskBudget } from '../../../runtime/waits';
import { events, load, truthCases } from '../playbook/corpus';

describe('module catalog', () => {
  it('resolves short names, FQCNs and ansible.legacy names to one module', () => {
    expect(lookupModule('command')?.name).toBe('command');
    expect(lookupModule('ansible.builtin.command')?.name).toBe('command');
    expect(lookupModule('ansible.legacy.command')?.name).toBe('command');
    expect(lookupModule('ansible.builtin.systemd_service')?.name).toBe('systemd');
    expect(lookupModule('community.general.archive')?.name).toBe('archive');
    expect(lookupModule('nosuch')).toBeUndefined();
    expect(canonicalModuleName('ansible.legacy.async_status')).toBe('async_status');
    expect(canonicalModuleName('my.ns.thing')).toBe('my.ns.thing');
  });

  it('covers the modules the examples and issue 5 use, with their options', () => {
    const required = [
      'apt', 'yum', 'dnf', 'package', 'service', 'systemd', 'user', 'group', 'git', 'unarchive', 'archive', 'lineinfile',
      'blockinfile', 'template', 'copy', 'file', 'stat', 'find', 'get_url', 'uri', 'wait_for', 'pause', 'debug', 'assert',
      'fail', 'set_fact', 'ping', 'setup', 'async_status', 'command', 'shell', 'raw', 'script', 'include_vars', 'add_host',
      'group_by', 'meta', 'reboot',
    ];
    for (const name of required) expect(lookupModule(name), name).toBeDefined();
    for (const m of allModules()) expect(m.doc.length, m.name).toBeGreaterThan(0);
    expect(lookupOption('async_status', 'mode')?.choices).toEqual(['status', 'cleanup']);
    expect(lookupOption('file', 'dest')?.name).toBe('path');
    expect(lookupOption('uri', 'timeout')?.default).toBe(30);
    expect(lookupOption('get_url', 'timeout')?.default).toBe(10);
    expect(lookupOption('wait_for', 'timeout')?.default).toBe(300);
  });

  it('async support follows the version (reboot stops in 2.17)', () => {
    expect(supportsAsync('reboot', '2.16')).toBe(true);
    expect(supportsAsync('reboot', '2.17')).toBe(false);
    expect(supportsAsync('command')).toBe(true);
    expect(supportsAsync('ansible.builtin.debug')).toBe(false);
    expect(supportsAsync('my.collection.module')).toBe(true);
  });

  it('the unsupported-async message per version', () => {
    expect(unsupportedAsyncMessage('ansible.builtin.debug', '2.14')).toBe('async is not supported for this task.');
    expect(unsupportedAsyncMessage('ansible.builtin.debug', '2.16')).toBe('async is not supported for this task.');
    expect(unsupportedAsyncMessage('ansible.builtin.debug', '2.17')).toBe('This action (ansible.builtin.debug) does not support async.');
    expect(unsupportedAsyncMessage('debug')).toBe('This action (debug) does not support async.');
  });

  it('predicts exactly which tasks of case 12 failed with the unsupported-async message', () => {
    const c = truthCases().find((x) => x.name.startsWith('12-'))!;
    const failedUnsupported = new Set(
      events(c.dir).filter((e) => e.event === 'runner_failed' && e.result?.msg === 'async is not supported for this task.').map((e) => e.task),
    );
    const checkModeFailure = events(c.dir).find((e) => e.event === 'runner_failed' && e.result?.msg === 'check mode and async cannot be used on same task.')!;
    const play = load(c.playbook).plays[0];
    let asyncTasks = 0;
    for (const task of walkPlay(play)) {
      if (!task.keywords.async) continue;
      asyncTasks++;
      const budget = taskBudget(task, { play, coreVersion: '2.14' });
      if (failedUnsupported.has(task.name)) expect(budget.failsAtOnce, task.name).toBe('async is not supported for this task.');
      else if (task.name === checkModeFailure.task) expect(budget.failsAtOnce).toBe('check mode and async cannot be used on same task.');
      else expect(budget.failsAtOnce, task.name).toBeUndefined();
    }
    expect(asyncTasks).toBeGreaterThan(15);
    expect(failedUnsupported.size).toBeGreaterThan(12);
    // 2.17+ allows check mode with async and words the refusal with the action as written
    const cm = [...walkPlay(play)].find((t) => t.name === checkModeFailure.task)!;
    expect(taskBudget(cm, { play, coreVersion: '2.17' }).failsAtOnce).toBeUndefined();
    const dbg = [...walkPlay(play)].find((t) => t.name === 'debug with async')!;
    expect(taskBudget(dbg, { play, coreVersion: '2.19' }).failsAtOnce).toBe('This action (ansible.builtin.debug) does not support async.');
  });
});
