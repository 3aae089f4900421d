/**
 * --tags / --skip-tags selection with Ansible's special tags: `always` runs unless skipped explicitly,
 * `never` runs only when asked for, `tagged`/`untagged` select by the presence of tags, `all` is the default.
 */
export function tagsSelected(taskTags: readonly string[], only: readonly string[], skip: readonly string[]): boolean {
  const tags = new Set(taskTags);
  const wanted = only.length ? only : ['all'];
  let run = false;
  if (tags.has('always') && !skip.includes('always')) run = true;
  else {
    for (const w of wanted) {
      if (w === 'all' && !tags.has('never')) run = true;
      else if (w === 'tagged' && tags.size > 0 && !tags.has('never')) run = true;
      else if (w === 'untagged' && tags.size === 0) run = true;
      else if (tags.has(w)) run = true;
    }
  }
  if (!run) return false;
  for (const s of skip) {
    if (s === 'all') return false;
    if (s === 'tagged' && tags.size > 0) return false;
    if (s === 'untagged' && tags.size === 0) return false;
    if (tags.has(s)) return false;
  }
  return true;
}
