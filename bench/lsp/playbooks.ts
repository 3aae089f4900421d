/**
 * The benchmark's playbooks: a 34-line one (launch, join, cleanup, a typo and a too-short join: what a user
 * types) and a generated 2,000-task one with the same mix of tasks repeated over several plays.
 */
export const SMALL_PLAYBOOK = `---
- name: Deploy with a background build
  hosts: webservers
  become: true
  tasks:
    - name: Start the build
      ansible.builtin.command: /opt/app/bin/build --all
      async: 1800
      poll: 0
      register: build_job

    - name: Restart the cache
      ansible.builtin.service:
        name: memcached
        state: restarted

    - name: Wait for the build
      ansible.builtin.async_status:
        jid: "{{ build_job.ansible_job_id }}"
      register: build_result
      until: build_result.finished
      retries: 30
      delay: 10

    - name: Check the health endpoint
      ansible.builtin.uri:
        url: "http://{{ inventory_hostname }}:8080/health"
      register: health
      until: health.status == 200
      retires: 5

    - name: Clean up the job
      ansible.builtin.async_status:
        jid: "{{ build_job.ansible_job_id }}"
`;

/** one block of 10 tasks; `i` keeps names and registers unique */
function group(i: number): string {
  return `    - name: launch ${i}
      ansible.builtin.command: /opt/jobs/run.sh ${i}
      async: ${300 + i}
      poll: 0
      register: job_${i}
    - name: copy config ${i}
      ansible.builtin.copy:
        src: files/app-${i}.conf
        dest: /etc/app/app-${i}.conf
        mode: "0644"
    - name: template ${i}
      ansible.builtin.template:
        src: templates/unit-${i}.j2
        dest: /etc/systemd/system/app-${i}.service
    - name: service ${i}
      ansible.builtin.service:
        name: app-${i}
        state: started
    - name: wait ${i}
      ansible.builtin.async_status:
        jid: "{{ job_${i}.ansible_job_id }}"
      register: wait_${i}
      until: wait_${i}.finished
      retries: ${20 + (i % 50)}
      delay: 15
    - name: cleanup ${i}
      ansible.builtin.async_status:
        jid: "{{ job_${i}.ansible_job_id }}"
        mode: cleanup
    - name: check ${i}
      ansible.builtin.uri:
        url: "http://localhost:{{ 8000 + ${i} }}/health"
      register: health_${i}
      until: health_${i}.status == 200
      retries: 5
      delay: 2
    - name: shell ${i}
      ansible.builtin.shell: "systemctl is-active app-${i} | grep -q active"
      changed_when: false
    - name: debug ${i}
      ansible.builtin.debug:
        msg: "app {{ ${i} }} is {{ wait_${i}.rc | default('unknown') }}"
    - name: stat ${i}
      ansible.builtin.stat:
        path: /var/run/app-${i}.pid
      register: pid_${i}
`;
}

export function largePlaybook(tasks = 2000, perPlay = 500): string {
  const groups = Math.ceil(tasks / 10);
  const groupsPerPlay = Math.max(1, Math.floor(perPlay / 10));
  let out = '---\n';
  for (let g = 0; g < groups; g++) {
    if (g % groupsPerPlay === 0) out += `- name: play ${g / groupsPerPlay + 1}\n  hosts: all\n  gather_facts: false\n  tasks:\n`;
    // one typo in the middle, the edit the benchmark fixes
    out += g === Math.floor(groups / 2) ? group(g).replace(/retries: (\d+)\n      delay: 2/, 'retires: $1\n      delay: 2') : group(g);
  }
  return out;
}
