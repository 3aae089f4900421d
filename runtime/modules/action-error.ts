/**
 * An action that fails by raising, the way an ansible-core action plugin raises AnsibleError (assert's condition
 * cannot be evaluated): the task then fails with only `failed` and `msg` — no `changed`, which Ansible adds only to
 * results an action returned — and `until` does not retry it.
 */
export class ActionRaised extends Error {}
