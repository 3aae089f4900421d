import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteScratch, runPlaybook } from './helpers';

/**
 * One stub for every manager's commands (the target is this machine): a package is "installed" when a file
 * named after it exists in $STUB_DB; "<name>.old" marks an installed package with an upgrade available.
 */
const STUB = `#!/bin/sh
db="$STUB_DB"; me=$(basename "$0")
echo "$me $*" >> "$db/log"
last=""; for a in "$@"; do last="$a"; done
names() { for a in "$@"; do case "$a" in -*|install|remove|add|del|update|upgrade|check-update|makecache|refresh|list-updates|version) ;; *) echo "$a";; esac; done; }
case "$me" in
  rpm) [ -f "$db/$last" ] ;;
  pacman)
    case "$1" in
      -Q) [ -f "$db/$last" ] ;;
      -Qu) [ -f "$db/$last.old" ] ;;
      -S) for n in $(names "$@"); do touch "$db/$n"; rm -f "$db/$n.old"; done ;;
      -R) for n in $(names "$@"); do rm -f "$db/$n"; done ;;
      -Sy) : ;;
    esac ;;
  apk)
    case "$1" in
      info) [ -f "$db/$last" ] ;;
      version) [ -f "$db/$last.old" ] && echo "$last-1.0 < 1.1" ;;
      add) for n in $(names "$@"); do touch "$db/$n"; rm -f "$db/$n.old"; done ;;
      del) for n in $(names "$@"); do rm -f "$db/$n"; done ;;
      update) : ;;
    esac ;;
  *)
    case " $* " in
      *" check-update "*) [ -f "$db/$last.old" ] && exit 100; exit 0 ;;
      *" list-updates "*) for f in "$db"/*.old; do [ -e "$f" ] && n=$(basename "$f" .old) && echo "v | repo | $n | 1.0 | 1.1"; done ;;
      *" remove "*) for n in $(names "$@"); do rm -f "$db/$n"; done ;;
      *" install "*|*" update "*) for n in $(names "$@"); do touch "$db/$n"; rm -f "$db/$n.old"; done ;;
    esac ;;
esac
`;

function stubs(root: string): { bin: string; db: string } {
  const bin = join(root, 'bin');
  const db = join(root, 'db');
  mkdirSync(bin, { recursive: true });
  mkdirSync(db, { recursive: true });
  writeFileSync(join(bin, 'stub'), STUB);
  chmodSync(join(bin, 'stub'), 0o755);
  for (const name of ['rpm', 'dnf', 'yum', 'apk', 'zypper', 'pacman']) symlinkSync(join(bin, 'stub'), join(bin, name));
  return { bin, db };
}

describe('package on non-apt managers', () => {
  for (const manager of ['dnf', 'yum', 'apk', 'zypper', 'pacman']) {
    it(`${manager}: present, latest, absent; changed only when something is done`, async () => {
      const root = remoteScratch(`pkg-${manager}`);
      const { bin, db } = stubs(root);
      writeFileSync(join(db, 'curl'), '');
      writeFileSync(join(db, 'curl.old'), '');
      writeFileSync(join(db, 'vim'), '');
      const outcome = await runPlaybook({
        playbook: `
- hosts: h1
  gather_facts: false
  environment: { PATH: "${bin}:/usr/bin:/bin", STUB_DB: "${db}" }
  vars: { ansible_pkg_mgr: "${manager}" }
  tasks:
    - name: install
      package: { name: [git, vim], state: present }
      register: installed
    - name: install again
      package: { name: [git, vim], state: present }
    - name: latest
      package: { name: curl, state: latest }
    - name: latest again
      package: { name: curl, state: latest }
    - name: remove
      package: { name: vim, state: absent }
    - name: check mode
      package: { name: newpkg }
      check_mode: true
`,
      });
      const context = outcome.out + outcome.err;
      expect(outcome.rc, context).toBe(0);
      const changed = (task: string) => (outcome.results.find((e) => e.task === task) as { changed?: boolean }).changed;
      expect(['install', 'install again', 'latest', 'latest again', 'remove', 'check mode'].map(changed), context).toEqual([true, false, true, false, true, true]);
      expect(outcome.results.find((e) => e.task === 'install')!.result.results).toEqual(['Installed: git']);
      expect(existsSync(join(db, 'git'))).toBe(true);
      expect(existsSync(join(db, 'vim'))).toBe(false);
      expect(existsSync(join(db, 'curl.old'))).toBe(false);
      expect(existsSync(join(db, 'newpkg'))).toBe(false);
      expect(readFileSync(join(db, 'log'), 'utf8')).not.toMatch(/^(apk add|apk del|pacman -S |pacman -R |dnf -y|yum -y|zypper --non-interactive (install|remove|update)).*newpkg/m);
    });
  }

  it('use: picks the manager; an unknown one fails; the job form works under async', async () => {
    const root = remoteScratch('pkg-use');
    const { bin, db } = stubs(root);
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  environment: { PATH: "${bin}:/usr/bin:/bin", STUB_DB: "${db}" }
  tasks:
    - name: with use
      package: { name: tree, use: apk }
    - name: as a job
      package: { name: jq, use: pacman }
      async: 30
      poll: 1
    - name: unknown
      package: { name: x, use: brew }
      ignore_errors: true
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    expect(readFileSync(join(db, 'log'), 'utf8')).toMatch(/^apk add tree$/m);
    expect(readFileSync(join(db, 'log'), 'utf8')).toMatch(/^pacman -S --noconfirm --needed jq$/m);
    expect(outcome.results.find((e) => e.task === 'unknown')!.result.msg).toBe('Could not find a module for brew.');
  });

  it('without use: or facts, the target is probed: here it has dnf and no apt-get', async () => {
    const root = remoteScratch('pkg-detect');
    const { bin, db } = stubs(root);
    // a PATH with the tools the script needs but no apt-get (which the test host itself has)
    const tools = join(root, 'tools');
    mkdirSync(tools);
    for (const tool of ['mktemp', 'rm', 'tail', 'awk', 'sed', 'date', 'basename', 'touch', 'cat', 'grep', 'cut', 'mawk', 'gawk']) {
      for (const dir of ['/usr/bin', '/bin']) {
        if (existsSync(join(dir, tool)) && !existsSync(join(tools, tool))) symlinkSync(join(dir, tool), join(tools, tool));
      }
    }
    for (const name of ['yum', 'apk', 'zypper', 'pacman']) rmSync(join(bin, name));
    const outcome = await runPlaybook({
      playbook: `
- hosts: h1
  gather_facts: false
  environment: { PATH: "${bin}:${tools}", STUB_DB: "${db}" }
  tasks:
    - name: detected
      package: { name: htop }
`,
    });
    expect(outcome.rc, outcome.out + outcome.err).toBe(0);
    expect(readFileSync(join(db, 'log'), 'utf8')).toMatch(/^dnf -y install htop$/m);
  });
});
