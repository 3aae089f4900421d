/** The keyword table: scopes, defaults the engine uses, did-you-mean. */
import { describe, expect, it } from 'vitest';
import { editDistance, isKeyword, keywordInfo, keywordsFor, suggestKeyword } from '../../../runtime/playbook';
import { DEFAULT_DELAY, DEFAULT_POLL } from '../../../runtime/waits';

describe('keywords', () => {
  it('knows which keyword belongs where', () => {
    expect(isKeyword('async', 'task')).toBe(true);
    expect(isKeyword('async', 'block')).toBe(false);
    expect(isKeyword('hosts', 'play')).toBe(true);
    expect(isKeyword('hosts', 'task')).toBe(false);
    expect(isKeyword('listen', 'handler')).toBe(true);
    expect(isKeyword('listen', 'task')).toBe(false);
    expect(isKeyword('rescue', 'block')).toBe(true);
    expect(isKeyword('with_items', 'task')).toBe(true);
    expect(isKeyword('with_items', 'play')).toBe(false);
    expect(isKeyword('when', 'role')).toBe(true);
  });

  it('states the defaults ansible-core applies, the same the budgets use', () => {
    expect(keywordInfo('poll')?.default).toBe(DEFAULT_POLL);
    expect(keywordInfo('poll')?.default).toBe(15);
    expect(keywordInfo('delay')?.default).toBe(DEFAULT_DELAY);
    expect(keywordInfo('async')?.type).toBe('int');
    expect(keywordInfo('until')?.type).toBe('expr');
    expect(keywordInfo('timeout')?.since).toBe('2.10');
    expect(keywordInfo('with_dict')?.doc).toContain('dict');
    expect(keywordInfo('nosuch')).toBeUndefined();
  });

  it('lists keywords for completion per scope', () => {
    const play = keywordsFor('play').map((k) => k.name);
    expect(play).toEqual(expect.arrayContaining(['hosts', 'tasks', 'handlers', 'serial', 'gather_facts']));
    expect(play).not.toContain('until');
    const task = keywordsFor('task').map((k) => k.name);
    expect(task).toEqual(expect.arrayContaining(['async', 'poll', 'until', 'retries', 'delay', 'register', 'loop']));
    expect(task).not.toContain('hosts');
  });

  it('suggests the keyword a typo meant', () => {
    expect(editDistance('retires', 'retries')).toBe(1);
    expect(suggestKeyword('retires', 'task')).toBe('retries');
    expect(suggestKeyword('retry', 'task')).toBe('retries');
    expect(suggestKeyword('regsiter', 'task')).toBe('register');
    expect(suggestKeyword('pol', 'task')).toBe('poll');
    expect(suggestKeyword('hots', 'play')).toBe('hosts');
    expect(suggestKeyword('completely_different', 'task')).toBeUndefined();
  });
});
