/** The job fold over events: open vs joined jobs, delegated status hosts, and the after-recap summary. */
import { expect, test } from 'vitest';
import { EventEmitter } from '../../../runtime/events/emitter';
import type { RunEvent, RunEventInput } from '../../../runtime/events/types';
import { summarizeUnjoinedJobs } from '../../../runtime/jobs/summary';
import { trackEvents } from '../../../runtime/jobs/tracker';

function stream(inputs: RunEventInput[]): RunEvent[] {
  const events: RunEvent[] = [];
  const emitter = new EventEmitter('r1', (e) => events.push(e));
  for (const input of inputs) emitter.emit(input);
  return events;
}

const started = (jid: string, host: string, extra: Partial<RunEventInput> = {}) =>
  ({ event: 'job_started', taskId: 'p.yml:3', task: `launch ${jid}`, host, jid, async: 60, poll: 0, deadline: '2030-01-01T00:01:05.000Z', resultsFile: `/h/.ansible_async/${jid}`, ...extra }) as RunEventInput;

test('joined, cleaned and open jobs; async_status events on the inventory host match a delegated job', () => {
  const events = stream([
    started('j1.1', 'h1'),
    started('j2.2', 'h2'),
    started('j3.3', 'h1', { statusHost: 'h9' } as Partial<RunEventInput>),
    started('j4.4', 'h3'),
    { event: 'job_status', taskId: 'p.yml:9', task: 'wait', host: 'h1', jid: 'j1.1', state: 'running', elapsedSeconds: 1, polls: 1, finished: false },
    { event: 'job_joined', taskId: 'p.yml:9', task: 'wait', host: 'h1', jid: 'j1.1', state: 'finished', result: { rc: 0 } },
    { event: 'job_status', taskId: 'p.yml:9', task: 'wait', host: 'h1', jid: 'j3.3', state: 'running', elapsedSeconds: 2, polls: 3, finished: false },
    { event: 'job_cleaned', taskId: 'p.yml:10', task: 'clean', host: 'h3', jid: 'j4.4', state: 'cleaned' },
  ]);
  const tracker = trackEvents(events);
  expect(tracker.all().map((j) => [j.jid, j.state, j.joined])).toEqual([
    ['j1.1', 'finished', true],
    ['j2.2', 'running', false],
    ['j3.3', 'running', false],
    ['j4.4', 'cleaned', false],
  ]);
  expect(tracker.all().find((j) => j.jid === 'j1.1')?.rc).toBe(0);
  expect(tracker.all().find((j) => j.jid === 'j3.3')?.polls).toBe(3);
  const lines = summarizeUnjoinedJobs(events, 'run.jsonl');
  expect(lines[0]).toMatch(/^ASYNC JOBS NOT JOINED \(2\) \*+$/);
  expect(lines[1]).toMatch(/^h2: jid=j2\.2 task="launch j2\.2" async=60s state=running last seen /);
  expect(lines[2]).toMatch(/^h1 -> h9: jid=j3\.3 /);
  expect(lines[3]).toBe('re-attach: playbook-studio jobs attach run.jsonl');
  expect(summarizeUnjoinedJobs(stream([]))).toEqual([]);
});

test('a lost job stays joined once it was joined', () => {
  const tracker = trackEvents(
    stream([
      started('j1.1', 'h1'),
      { event: 'job_joined', taskId: 't', task: 'wait', host: 'h1', jid: 'j1.1', state: 'finished' },
      { event: 'job_lost', taskId: 't', task: 'wait', host: 'h1', jid: 'j1.1', state: 'lost', reason: 'could not find job' },
    ]),
  );
  expect(tracker.all()[0]).toMatchObject({ state: 'finished', joined: true });
});
