/**
 * Hover text for the keywords this project is about, from the observed behaviour (SEMANTICS.md): correct
 * defaults (poll 15 s, delay 5 s, retries 3 with until) and the rules behind the numbers.
 */
export const WAIT_DOCS: Record<string, string> = {
  async:
    'Runs the task as a background job with this time limit in seconds. With `poll` > 0 the controller sleeps `poll` seconds before each status check and makes at most ⌈async / poll⌉ checks; with `poll: 0` it moves on at once (join later with `async_status`). The remote watchdog kills the job about 5·(1 + ⌈async / 5⌉) s after launch; the controller never kills it. `async: 0` or absent: synchronous. Not supported by actions such as debug, set_fact, copy, template, assert, fail, pause, raw, script, async_status.',
  poll:
    'Seconds between status checks of an async job. **Default 15** (DEFAULT_POLL_INTERVAL). At most ⌈async / poll⌉ checks, whatever the wall time. `poll: 0` (or negative): fire and forget, the job id is in the registered result. Without `async`, `poll` does nothing.',
  until:
    'Condition (a bare expression, no `{{ }}`) evaluated after each attempt; the task is retried while it is false. At most retries + 1 executions (**retries defaults to 3** with until: 4 executions). When exhausted the task fails and `attempts` shows retries (one less than the executions). A condition that is met does not clear a failure.',
  retries:
    'Retries for `until`: at most retries + 1 executions; default 3 when `until` is set; 0 or negative: a single execution (and the task does not fail when until is false). Without `until`: ignored before ansible-core 2.16; from 2.16 the task is retried until it does not fail.',
  delay:
    'Seconds slept between attempts of an `until` loop. **Default 5**; negative → 1 s; 0 → no sleep. Floats are truncated by int() before ansible-core 2.17.5 and kept from 2.17.5.',
  async_status:
    "Reads the status file `~/.ansible_async/<jid>` of a job started with `async` + `poll: 0` (jid = `register.ansible_job_id`; in a loop, each `item.ansible_job_id` of `register.results`). `finished` is 0 while the job runs and 1 when it ended; use `until: result.finished` with retries × delay ≥ the job's async limit. `mode: cleanup` deletes the status file but does **not** stop the job (a running job rewrites it when it ends).",
};
