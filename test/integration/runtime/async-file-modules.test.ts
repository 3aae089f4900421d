import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteScratch, runPlaybook } from './helpers';

describe('modules without a remote round trip of their own run as real async jobs', () => {
  it('file (every state), ping and stat launch jobs with poll: 0 and join via async_status; results match the sync module', async () => {
    const dir = remoteScratch('async-file');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plain'), 'x');
    const states = (mode: 'sync' | 'job') => `
    - name: ${mode} directory
      file: { path: "${dir}/${mode}-d", state: directory, mode: "0750" }
      register: ${mode}_d${mode === 'job' ? '\n      async: 30\n      poll: 0' : ''}
    - name: ${mode} touch
      file: { path: "${dir}/${mode}-t", state: touch }
      register: ${mode}_t${mode === 'job' ? '\n      async: 30\n      poll: 2' : ''}
    - name: ${mode} link
      file: { path: "${dir}/${mode}-l", src: "${dir}/plain", state: link }
      register: ${mode}_l${mode === 'job' ? '\n      async: 30\n      poll: 2' : ''}
    - name: ${mode} attrs on existing
      file: { path: "${dir}/plain", mode: "0600" }
      register: ${mode}_f${mode === 'job' ? '\n      async: 30\n      poll: 2' : ''}
    - name: ${mode} absent file is an error
      file: { path: "${dir}/${mode}-missing", state: file }
      register: ${mode}_missing
      ignore_errors: true${mode === 'job' ? '\n      async: 30\n      poll: 2' : ''}
    - name: ${mode} remove
      file: { path: "${dir}/${mode}-t", state: absent }
      register: ${mode}_rm${mode === 'job' ? '\n      async: 30\n      poll: 2' : ''}`;
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:${states('sync')}${states('job')}
    - name: join the directory job
      async_status: { jid: "{{ job_d.ansible_job_id }}" }
      register: job_d_done
      until: job_d_done.finished
      retries: 20
      delay: 1
    - name: ping as a job
      ping:
      async: 30
      poll: 1
      register: pinged
    - name: compare
      debug:
        msg:
          d: "{{ job_d_done }}"
          sd: "{{ sync_d }}"
          t: "{{ job_t.changed }} {{ job_t.dest is defined }} {{ job_t.path is defined }}"
          l: "{{ job_l.changed }} {{ job_l.src }} {{ job_l.state }}"
          f: "{{ sync_f.changed }} {{ job_f.changed }} {{ job_f.mode }}"
          missing: "{{ job_missing.msg == sync_missing.msg | replace('sync-missing', 'job-missing') }}"
          rm: "{{ job_rm.changed }} {{ job_rm.state }}"
          ping: "{{ pinged.ping }}"
`,
    });
    const context = outcome.out + outcome.err;
    expect(outcome.rc, context).toBe(0);
    const jobs = outcome.events.filter((e) => e.event === 'job_started').map((e) => e.task);
    expect(jobs).toEqual(['job directory', 'job touch', 'job link', 'job attrs on existing', 'job absent file is an error', 'job remove', 'ping as a job']);
    expect(outcome.events.some((e) => e.event === 'warning' && /runs synchronously/.test(e.message)), context).toBe(false);
    const msg = outcome.results.find((e) => e.task === 'compare')!.result.msg as Record<string, string>;
    const { d, sd, ...rest } = msg as unknown as Record<string, Record<string, unknown>>;
    const strip = (r: Record<string, unknown>, name: string) => JSON.parse(JSON.stringify(r).replaceAll(name, 'X'));
    const jobShape = strip(d, 'job-d');
    for (const key of ['ansible_job_id', 'finished', 'started', 'results_file', 'attempts', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'failed']) delete jobShape[key];
    const syncShape = strip(sd, 'sync-d');
    delete syncShape.failed;
    expect(jobShape, context).toEqual(syncShape);
    expect(rest, context).toEqual({
      t: 'True True False',
      l: `True ${dir}/plain link`,
      f: 'True False 0600',
      missing: true,
      rm: 'True absent',
      ping: 'pong',
    });
    expect(statSync(join(dir, 'job-d')).mode & 0o777).toBe(0o750);
    expect(lstatSync(join(dir, 'job-l')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'job-l'))).toBe(join(dir, 'plain'));
    expect(readlinkSync(join(dir, 'sync-l'))).toBe(join(dir, 'plain'));
    expect(existsSync(join(dir, 'job-t'))).toBe(false);
  });

  it('service/systemd run as a job (systemctl is a stub on PATH)', async () => {
    const dir = remoteScratch('async-svc');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'systemctl'), `#!/bin/sh\necho "systemctl $*" >> "${dir}/log"\ncase "$1" in is-active) [ -f "${dir}/up" ] && echo active || echo inactive;; start) touch "${dir}/up";; show) echo ActiveState=active; echo SubState=running;; esac\nexit 0\n`, { mode: 0o755 });
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  environment: { PATH: "${dir}/bin:/usr/bin:/bin" }
  tasks:
    - name: start as a job
      service: { name: web, state: started }
      async: 30
      poll: 1
      register: started
    - name: again
      systemd: { name: web, state: started }
      register: again
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    const started = outcome.results.find((e) => e.task === 'start as a job' && e.event === 'runner_on_ok')!.result;
    expect(started).toMatchObject({ changed: true, name: 'web', state: 'started', status: { ActiveState: 'active', SubState: 'running' } });
    expect('msg' in started).toBe(false);
    expect(outcome.results.find((e) => e.task === 'again')!.result).toMatchObject({ changed: false, name: 'web', state: 'started' });
    expect(outcome.events.some((e) => e.event === 'job_started' && e.task === 'start as a job')).toBe(true);
  });

  it('find as a job returns what the synchronous find returns', async () => {
    const dir = remoteScratch('async-find');
    mkdirSync(join(dir, 'a/b/.hidden'), { recursive: true });
    writeFileSync(join(dir, 'one.log'), 'error here\n');
    writeFileSync(join(dir, 'two.txt'), 'nothing\n');
    writeFileSync(join(dir, 'a/three.log'), 'x'.repeat(2000));
    writeFileSync(join(dir, 'a/b/.hidden/four.log'), 'error\n');
    const cases = [
      `{ paths: "${dir}", patterns: "*.log" }`,
      `{ paths: "${dir}", patterns: ["*.log", "*.txt"], recurse: true, excludes: "two*" }`,
      `{ paths: "${dir}", recurse: true, hidden: true, contains: "err" }`,
      `{ paths: ["${dir}", "${dir}/nope"], file_type: directory, recurse: true }`,
      `{ paths: "${dir}", recurse: true, size: "1k", use_regex: true, patterns: "^th" }`,
      `{ paths: "${dir}", recurse: true, age: "-1h", file_type: any }`,
    ];
    const tasks = cases
      .map((args, i) => `
    - name: sync ${i}
      find: ${args}
      register: s${i}
    - name: job ${i}
      find: ${args}
      register: j${i}
      async: 30
      poll: 1`)
      .join('');
    const outcome = await runPlaybook({ playbook: `
- hosts: h1
  gather_facts: false
  tasks:${tasks}
` });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    for (let i = 0; i < cases.length; i++) {
      const sync = outcome.results.find((e) => e.task === `sync ${i}`)!.result;
      const job = { ...outcome.results.find((e) => e.task === `job ${i}` && e.event === 'runner_on_ok')!.result };
      for (const key of ['ansible_job_id', 'finished', 'started', 'results_file', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'failed', 'invocation']) delete job[key];
      const bySync = { ...sync };
      delete bySync.failed;
      // atime moves when contains: reads the files, so it is not compared
      const sortFiles = (r: Record<string, unknown>) => ({ ...r, files: [...(r.files as { path: string }[])].map((f) => ({ ...f, atime: 0 })).sort((x, y) => (x.path < y.path ? -1 : 1)) });
      expect(Object.keys(job).sort(), `case ${i}`).toEqual(Object.keys(bySync).sort());
      expect(sortFiles(job), `case ${i}: ${cases[i]}`).toEqual(sortFiles(bySync));
    }
    expect(outcome.results.find((e) => e.task === 'job 2' && e.event === 'runner_on_ok')!.result.matched).toBe(2);
  });

  it('setup as a job gathers the same facts as the synchronous probe (filter too)', async () => {
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: sync
      setup:
      register: sync
    - name: job
      setup:
      register: job
      async: 60
      poll: 1
    - name: filtered job
      setup: { filter: ["ansible_distribution*", "os_family"] }
      register: filtered
      async: 60
      poll: 1
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    const facts = (task: string) => outcome.results.find((e) => e.task === task && e.event === 'runner_on_ok')!.result.ansible_facts as Record<string, unknown>;
    const sync = facts('sync');
    const job = facts('job');
    expect(Object.keys(job).sort()).toEqual(Object.keys(sync).sort());
    // values that move between two probes
    const moving = ['ansible_date_time', 'ansible_memfree_mb', 'ansible_env'];
    for (const key of Object.keys(sync)) if (!moving.includes(key)) expect(job[key], key).toEqual(sync[key]);
    expect(Object.keys(job.ansible_date_time as object).sort()).toEqual(Object.keys(sync.ansible_date_time as object).sort());
    expect((job.ansible_env as Record<string, string>).HOME).toBe((sync.ansible_env as Record<string, string>).HOME);
    expect(Object.keys(facts('filtered job')).sort()).toEqual(['ansible_distribution', 'ansible_distribution_major_version', 'ansible_distribution_release', 'ansible_distribution_version', 'ansible_os_family', 'gather_subset', 'module_setup']);
  });

  it('archive runs as a job and synchronously, tar and zip, missing paths and remove', async () => {
    const dir = remoteScratch('async-archive');
    mkdirSync(join(dir, 'data/sub'), { recursive: true });
    writeFileSync(join(dir, 'data/a.txt'), 'a\n');
    writeFileSync(join(dir, 'data/sub/b.txt'), 'b\n');
    writeFileSync(join(dir, 'gone.txt'), 'x\n');
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  tasks:
    - name: tar as a job
      archive: { path: ["${dir}/data", "${dir}/nope"], dest: "${dir}/out.tar.gz" }
      register: tarred
      async: 30
      poll: 1
    - name: zip sync, removing the source
      archive: { path: "${dir}/gone.txt", dest: "${dir}/out.zip", format: zip, remove: true }
      register: zipped
    - name: nothing to archive
      archive: { path: "${dir}/nope" }
      ignore_errors: true
    - name: list the tar
      command: tar -tzf ${dir}/out.tar.gz
      register: listing
    - name: list the zip
      command: unzip -l ${dir}/out.zip
      register: ziplisting
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    const tarred = outcome.results.find((e) => e.task === 'tar as a job' && e.event === 'runner_on_ok')!.result;
    expect(tarred).toMatchObject({ changed: true, dest: `${dir}/out.tar.gz`, archived: [`${dir}/data`], missing: [`${dir}/nope`], state: 'archive' });
    expect(outcome.events.some((e) => e.event === 'job_started' && e.task === 'tar as a job')).toBe(true);
    expect(String(outcome.results.find((e) => e.task === 'list the tar')!.result.stdout).split('\n').sort()).toEqual(['data/', 'data/a.txt', 'data/sub/', 'data/sub/b.txt']);
    expect(String(outcome.results.find((e) => e.task === 'list the zip')!.result.stdout)).toContain('gone.txt');
    expect(existsSync(join(dir, 'gone.txt'))).toBe(false);
    expect(outcome.results.find((e) => e.task === 'nothing to archive')!.result).toMatchObject({ failed: true, msg: 'Error, no source paths were found', archived: [] });
  });

  it('lineinfile as a job gives the results and file contents of the synchronous module', async () => {
    const dir = remoteScratch('async-lineinfile');
    mkdirSync(dir, { recursive: true });
    const initial = 'alpha=1\n# beta=2\ngamma=3\nlast line without newline';
    const cases = [
      `regexp: '^#?\\s*beta=', line: 'beta=20'`,
      `line: 'gamma=3'`,
      `line: 'delta=4', insertafter: '^alpha'`,
      `line: 'first', insertbefore: BOF`,
      `line: 'before gamma', insertbefore: '^gamma'`,
      `line: 'at the end'`,
      `search_string: 'alpha', line: 'ALPHA'`,
      `regexp: '^gamma', state: absent`,
      `regexp: '^nothing', state: absent`,
      `regexp: '^\\d+$', line: 'digits'`,
      `path_missing: true, line: x, create: true`,
    ];
    for (let i = 0; i < cases.length; i++) for (const kind of ['sync', 'job']) writeFileSync(join(dir, `${kind}-${i}`), initial);
    writeFileSync(join(dir, 'backrefs'), initial);
    const tasks = cases
      .map((c, i) => {
        const args = (kind: string) => (c.startsWith('path_missing') ? `path: "${dir}/${kind}-new-${i}", ${c.replace('path_missing: true, ', '')}` : `path: "${dir}/${kind}-${i}", ${c}`);
        return `
    - name: sync ${i}
      lineinfile: { ${args('sync')} }
    - name: job ${i}
      lineinfile: { ${args('job')} }
      async: 30
      poll: 1`;
      })
      .join('');
    const outcome = await runPlaybook({ playbook: `
- hosts: h1
  gather_facts: false
  tasks:${tasks}
    - name: backrefs cannot run as a job
      lineinfile: { path: "${dir}/backrefs", regexp: '^(alpha)=(.*)$', line: '\\1: \\2', backrefs: true }
      async: 30
      poll: 1
` });
    const context = outcome.out + outcome.err;
    expect(outcome.rc, context).toBe(0);
    const { readFileSync } = await import('node:fs');
    for (let i = 0; i < cases.length; i++) {
      const sync = { ...outcome.results.find((e) => e.task === `sync ${i}`)!.result };
      const job = { ...outcome.results.find((e) => e.task === `job ${i}` && e.event === 'runner_on_ok')!.result };
      for (const key of ['ansible_job_id', 'finished', 'started', 'results_file', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'failed', 'invocation']) delete job[key];
      delete sync.failed;
      expect(JSON.parse(JSON.stringify(job).replaceAll(`/job-`, '/X-')), `case ${i}: ${cases[i]}`).toEqual(JSON.parse(JSON.stringify(sync).replaceAll(`/sync-`, '/X-')));
      const name = cases[i].startsWith('path_missing') ? `new-${i}` : `${i}`;
      expect(readFileSync(join(dir, `job-${name}`), 'utf8'), `case ${i}`).toBe(readFileSync(join(dir, `sync-${name}`), 'utf8'));
    }
    expect(outcome.events.filter((e) => e.event === 'job_started').length).toBe(cases.length);
    expect(outcome.events.some((e) => e.event === 'warning' && e.message.startsWith('lineinfile runs synchronously'))).toBe(true);
  }, 180_000);
});
