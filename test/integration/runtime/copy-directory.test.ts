import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteScratch, runPlaybook } from './helpers';

const tree = {
  'files/site/index.html': '<h1>hi</h1>\n',
  'files/site/css/main.css': 'body {}\n',
  'files/site/css/deep/x.txt': 'x\n',
  'files/site/empty/.keep': '',
};

function changedOf(outcome: Awaited<ReturnType<typeof runPlaybook>>, task: string): boolean | undefined {
  return (outcome.results.find((e) => e.task === task && e.event.startsWith('runner_on_')) as { changed?: boolean } | undefined)?.changed;
}

describe('copy of directories', () => {
  it('src without a trailing slash copies the directory, with one copies its contents; changed only when something changed', async () => {
    const dest = remoteScratch('copy-dir');
    const playbook = `
- hosts: h1
  gather_facts: false
  tasks:
    - name: dir itself
      copy: { src: site, dest: "${dest}/a", directory_mode: "0750", mode: "0640" }
      register: first
    - name: contents
      copy: { src: site/, dest: "${dest}/b/" }
    - name: dir again
      copy: { src: site, dest: "${dest}/a", directory_mode: "0750", mode: "0640" }
    - name: contents again
      copy: { src: site/, dest: "${dest}/b/" }
`;
    const outcome = await runPlaybook({ playbook: { ...tree, 'playbook.yml': playbook } });
    const context = outcome.out + outcome.err;
    expect(outcome.rc, context).toBe(0);
    expect(readFileSync(join(dest, 'a/site/css/deep/x.txt'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(dest, 'b/index.html'), 'utf8')).toBe('<h1>hi</h1>\n');
    expect(existsSync(join(dest, 'b/site'))).toBe(false);
    expect(existsSync(join(dest, 'b/empty/.keep'))).toBe(true);
    expect(statSync(join(dest, 'a/site/css')).mode & 0o777).toBe(0o750);
    expect(statSync(join(dest, 'a/site/css/main.css')).mode & 0o777).toBe(0o640);
    expect([changedOf(outcome, 'dir itself'), changedOf(outcome, 'contents'), changedOf(outcome, 'dir again'), changedOf(outcome, 'contents again')]).toEqual([true, true, false, false]);
    expect(outcome.results.find((e) => e.task === 'dir itself')!.result).toMatchObject({ dest: `${dest}/a/`, src: join(outcome.dir, 'files/site') });

    // one file edited on the target: only that changes back
    writeFileSync(join(dest, 'b/css/main.css'), 'tampered\n');
    const again = await runPlaybook({
      playbook: { ...tree, 'playbook.yml': `
- hosts: h1
  gather_facts: false
  tasks:
    - name: repair
      copy: { src: site/, dest: "${dest}/b" }
    - name: check mode sees nothing to do
      copy: { src: site/, dest: "${dest}/b" }
      check_mode: true
` },
    });
    expect(changedOf(again, 'repair')).toBe(true);
    expect(changedOf(again, 'check mode sees nothing to do')).toBe(false);
    expect(readFileSync(join(dest, 'b/css/main.css'), 'utf8')).toBe('body {}\n');
  });

  it('remote_src copies a directory tree on the target, keeping files only in dest', async () => {
    const base = remoteScratch('copy-remote-dir');
    mkdirSync(join(base, 'src/sub/deeper'), { recursive: true });
    writeFileSync(join(base, 'src/a.txt'), 'a\n');
    writeFileSync(join(base, 'src/sub/deeper/b.txt'), 'b\n', { mode: 0o700 });
    mkdirSync(join(base, 'out2'), { recursive: true });
    writeFileSync(join(base, 'out2/only-here.txt'), 'keep\n');
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: no slash into new dest
      copy: { src: "${base}/src", dest: "${base}/out1", remote_src: true }
    - name: slash into existing dest
      copy: { src: "${base}/src/", dest: "${base}/out2", remote_src: true }
    - name: check mode on a new dest
      copy: { src: "${base}/src/", dest: "${base}/out3", remote_src: true }
      check_mode: true
    - name: no slash again
      copy: { src: "${base}/src", dest: "${base}/out1", remote_src: true }
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    expect(readFileSync(join(base, 'out1/src/sub/deeper/b.txt'), 'utf8')).toBe('b\n');
    expect(statSync(join(base, 'out1/src/sub/deeper/b.txt')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(base, 'out2/a.txt'), 'utf8')).toBe('a\n');
    expect(readFileSync(join(base, 'out2/only-here.txt'), 'utf8')).toBe('keep\n');
    expect(existsSync(join(base, 'out3'))).toBe(false);
    expect([changedOf(outcome, 'no slash into new dest'), changedOf(outcome, 'slash into existing dest'), changedOf(outcome, 'check mode on a new dest'), changedOf(outcome, 'no slash again')]).toEqual([true, true, true, false]);
  });
});
