/** Facts as variables: `ansible_facts.x` and, as Ansible injects them by default, top-level `ansible_x`. */
export function factVars(facts: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ansible_facts: facts };
  for (const [key, value] of Object.entries(facts)) out[key.startsWith('ansible_') ? key : `ansible_${key}`] = value;
  return out;
}
