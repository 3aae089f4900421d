# -*- coding: utf-8 -*-
# Playbook Studio event stream for real ansible-playbook runs.
#
# Writes one JSON object per line in Playbook Studio's event vocabulary (runtime/events/types.ts) to the file
# descriptor named by PLAYBOOK_STUDIO_EVENTS_FD (or the file/FIFO named by PLAYBOOK_STUDIO_EVENTS_FILE), so the
# extension's journal, CLI output and Jobs tree work the same as with the bundled engine. The reader stamps
# seq/time/run; this plugin only reports what Ansible's callbacks see.
#
# Depends on nothing beyond ansible-core. Written against the callback API of 2.14 and 2.15-2.19: attributes that
# moved between versions (TaskResult._result/_task/_host vs. result/task/host) are read through fallbacks.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = '''
    name: playbook_studio
    type: notification
    short_description: Playbook Studio event stream (JSON lines over a pipe)
    description:
      - Emits Playbook Studio run events as JSON lines to the file descriptor in PLAYBOOK_STUDIO_EVENTS_FD
        or the path in PLAYBOOK_STUDIO_EVENTS_FILE. Does nothing when neither is set.
    requirements:
      - enable in configuration (callbacks_enabled)
'''

import datetime
import json
import os
import time

from collections.abc import Mapping

from ansible.plugins.callback import CallbackBase

try:
    from ansible.parsing.ajson import AnsibleJSONEncoder as _Encoder
except ImportError:  # pragma: no cover - very old or reorganised cores
    _Encoder = json.JSONEncoder

try:
    from ansible.release import __version__ as _CORE_VERSION
except ImportError:  # pragma: no cover
    _CORE_VERSION = ''

CENSORED = "the output has been hidden due to the fact that 'no_log: true' was specified for this result"
# Keys Ansible keeps in a censored result (executor/task_result.py _PRESERVE).
_PRESERVE = ('attempts', 'changed', 'retries')
_ASYNC_STATUS_ACTIONS = ('async_status', 'ansible.builtin.async_status', 'ansible.legacy.async_status')


class _EventEncoder(_Encoder):
    """Ansible's encoder (vault values, unsafe text, dates) with a last-resort str() so an odd value never
    silences the whole stream."""

    def default(self, o):  # pylint: disable=method-hidden
        try:
            return super(_EventEncoder, self).default(o)
        except TypeError:
            if isinstance(o, (set, frozenset, tuple)):
                return list(o)
            return str(o)


def _iso(epoch_seconds):
    moment = datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc)
    return moment.isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def _int_or_none(value):
    """Task keywords may still be templates ("{{ n }}") when a task starts; only report real numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    return None


def _attr(obj, *names):
    for name in names:
        value = getattr(obj, name, None)
        if value is not None:
            return value
    return None


# 2.19 adds public `result`/`task`/`host`/`task_fields` (the underscored names become deprecated aliases);
# older cores only have the underscored attributes. Public names first, so neither line warns.
def _result_dict(result):
    value = _attr(result, 'result', '_result')
    return dict(value) if isinstance(value, Mapping) else {}


def _task_fields(result):
    value = _attr(result, 'task_fields', '_task_fields')
    return dict(value) if isinstance(value, Mapping) else {}


def _host_name(host):
    if host is None:
        return ''
    name = _attr(host, 'name')
    if callable(getattr(host, 'get_name', None)):
        name = host.get_name()
    return str(name if name is not None else host)


def _position(obj):
    """file:line:col from the YAML node Ansible kept for this play/task, plus Ansible's own task_path."""
    path = ''
    try:
        path = obj.get_path() or ''
    except Exception:  # a dynamically built task has no data source
        path = ''
    ds = getattr(obj, '_ds', None)
    source = getattr(ds, '_data_source', None)
    line = getattr(ds, '_line_number', None)
    column = getattr(ds, '_column_number', None)
    position = None
    if source and isinstance(line, int):
        position = {'file': str(source), 'line': line, 'column': column if isinstance(column, int) else 1}
    elif path and ':' in path:
        file_part, _, line_part = path.rpartition(':')
        if line_part.isdigit():
            position = {'file': file_part, 'line': int(line_part), 'column': 1}
    return path, position


# The private keys Ansible itself hands to callbacks (executor/task_result.py CLEAN_EXCEPTIONS): printers use them
# (debug output is always shown, loop item labels); every other `_ansible_*` key is transport, not result.
_CALLBACK_KEYS = ('_ansible_verbose_always', '_ansible_item_label', '_ansible_no_log', '_ansible_verbose_override')


def _strip_internal(value):
    if not isinstance(value, dict):
        return value
    cleaned = dict((k, v) for k, v in value.items() if not (isinstance(k, str) and k.startswith('_ansible_') and k not in _CALLBACK_KEYS))
    results = cleaned.get('results')
    if isinstance(results, list):
        cleaned['results'] = [_strip_internal(item) for item in results]
    return cleaned


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'notification'
    CALLBACK_NAME = 'playbook_studio'
    CALLBACK_NEEDS_ENABLED = True
    CALLBACK_NEEDS_WHITELIST = True  # the name used before 2.11; harmless later

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._fd = None
        self._owns_fd = False
        self._play = None
        self._started = {}
        self._polls = {}
        # host -> the task it is running: async polls arrive as results of Ansible's implicit async_status task
        self._running = {}
        # (status host, jid) -> {'started': epoch seconds, 'reads': status reads seen}
        self._jobs = {}
        fd = os.environ.get('PLAYBOOK_STUDIO_EVENTS_FD')
        path = os.environ.get('PLAYBOOK_STUDIO_EVENTS_FILE')
        try:
            if fd:
                self._fd = int(fd)
            elif path:
                self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                self._owns_fd = True
        except (OSError, ValueError) as e:
            self._display.warning('playbook_studio: cannot open the event stream: %s' % e)
            self._fd = None
        self.disabled = self._fd is None

    # ---- transport -------------------------------------------------------------------------------------------

    def _emit(self, event):
        if self._fd is None:
            return
        data = (json.dumps(event, cls=_EventEncoder, sort_keys=False) + '\n').encode('utf-8')
        try:
            # os.write, not a buffered file: forked workers inherit this object and must never flush stale data.
            while data:
                written = os.write(self._fd, data)
                data = data[written:]
        except OSError as e:
            # The reader went away (the run was cancelled): stop writing, keep the playbook's own output.
            self._display.warning('playbook_studio: event stream closed: %s' % e)
            self._fd = None

    # ---- helpers ---------------------------------------------------------------------------------------------

    def _censor(self, result_obj, data):
        task = _attr(result_obj, 'task', '_task')
        task_no_log = getattr(task, 'no_log', None)
        if data.get('_ansible_no_log') or (isinstance(task_no_log, bool) and task_no_log):
            censored = {'censored': CENSORED}
            for key in _PRESERVE:
                if key in data:
                    censored[key] = data[key]
            return censored, True
        return data, False

    def _host_event(self, name, result_obj, extra=None):
        task = _attr(result_obj, 'task', '_task')
        host = _host_name(_attr(result_obj, 'host', '_host'))
        raw = _result_dict(result_obj)
        event = {
            'event': name,
            'taskId': str(getattr(task, '_uuid', '') or ''),
            'task': self._task_name(task),
            'host': host,
        }
        delegated = raw.get('_ansible_delegated_vars')
        if isinstance(delegated, dict) and delegated.get('ansible_host'):
            event['delegatedTo'] = str(delegated.get('ansible_host'))
        if extra:
            event.update(extra)
        return event

    def _task_name(self, task):
        if task is None:
            return ''
        try:
            return task.get_name().strip()
        except Exception:
            return str(getattr(task, 'name', '') or getattr(task, 'action', ''))

    def _result_event(self, name, result_obj, ignore_errors=None):
        raw = _result_dict(result_obj)
        data, censored = self._censor(result_obj, raw)
        event = self._host_event(name, result_obj)
        event['result'] = _strip_internal(data)
        event['changed'] = bool(raw.get('changed', False))
        if ignore_errors:
            event['ignoreErrors'] = True
        if name.startswith('runner_item_'):
            label = raw.get('_ansible_item_label', raw.get(raw.get('ansible_loop_var', 'item'), raw.get('item')))
            event['item'] = None if censored else label
        key = (event['host'], event['taskId'])
        started = self._started.get(key)
        if started is not None and not name.startswith('runner_item_'):
            event['durationMs'] = int((time.time() - started) * 1000)
        return event

    # ---- async jobs: the same job_* lifecycle the bundled engine journals ---------------------------------------

    def _base(self, event):
        base = dict((k, event[k]) for k in ('taskId', 'task', 'host') if k in event)
        if event.get('delegatedTo'):
            base['delegatedTo'] = event['delegatedTo']
        return base

    def _target(self, result_obj, raw):
        """How `jobs attach` can reach the job's host again: plain inventory values only, never secrets."""
        delegated = raw.get('_ansible_delegated_vars')
        values = {}
        if isinstance(delegated, Mapping):
            values = dict(delegated)
        else:
            # inventory values only (group vars, then host vars): play/extra vars would need templating
            host = _attr(result_obj, 'host', '_host')
            try:
                from ansible.inventory.helpers import get_group_vars
                values = dict(get_group_vars(host.get_groups()))
                values.update(host.get_vars())
            except Exception:
                values = {}
        plain = lambda v: isinstance(v, str) and v and '{{' not in v  # noqa: E731
        address = values.get('ansible_host')
        user = values.get('ansible_user') or values.get('ansible_ssh_user')
        if values.get('ansible_connection') == 'local':
            return None, True
        if not plain(address) or not plain(user):
            return None, False
        port = values.get('ansible_port') or values.get('ansible_ssh_port') or 22
        try:
            port = int(port)
        except (TypeError, ValueError):
            return None, False
        target = {'address': address, 'port': port, 'user': user}
        key = values.get('ansible_ssh_private_key_file') or values.get('ansible_private_key_file')
        if plain(key):
            target['privateKeyPath'] = key
        if os.environ.get('PLAYBOOK_STUDIO_KNOWN_HOSTS'):
            target['knownHostsPath'] = os.environ['PLAYBOOK_STUDIO_KNOWN_HOSTS']
        return target, False

    def _job_started(self, result_obj, base, jid, raw, async_val, poll, register):
        status_host = base.get('delegatedTo') or base['host']
        key = (status_host, jid)
        if key in self._jobs:
            return self._jobs[key]
        now = time.time()
        job = {'started': now, 'reads': 0}
        self._jobs[key] = job
        event = dict(base)
        results_file = str(raw.get('results_file') or '')
        event.update({
            'event': 'job_started',
            'jid': jid,
            'async': async_val,
            'poll': poll,
            # async_wrapper's watchdog kills the job at 5 * (1 + ceil(async / 5)) s, not at `async`
            'deadline': _iso(now + 5 * (1 + -(-max(async_val, 0) // 5))),
            'resultsFile': results_file,
            'coreVersion': _CORE_VERSION,
        })
        if results_file:
            event['asyncDir'] = os.path.dirname(results_file)
        if register:
            event['register'] = str(register)
        if status_host != base['host']:
            event['statusHost'] = status_host
        target, local = self._target(result_obj, raw)
        if target:
            event['target'] = target
        if local:
            event['local'] = True
        self._emit(event)
        return job

    def _job_event(self, name, base, jid, fields):
        event = dict(base)
        event.update({'event': name, 'jid': jid})
        event.update(fields)
        self._emit(event)

    def _job_state(self, raw, failed, finished):
        if not finished:
            return 'running'
        if failed:
            return 'timed_out' if raw.get('msg') == 'Timeout exceeded' else 'failed'
        return 'finished'

    def _observe_job(self, base, raw, shown, failed, extra_read=False):
        """A status read (an async_status result, or the last check of a poll > 0 wait): state, and the join."""
        jid = str(raw.get('ansible_job_id') or '')
        if not jid:
            return
        status_host = base.get('delegatedTo') or base['host']
        job = self._jobs.get((status_host, jid))
        if 'erased' in raw and not failed:
            self._job_event('job_cleaned', base, jid, {'state': 'cleaned'})
            return
        if raw.get('msg') == 'could not find job':
            self._job_event('job_lost', base, jid, {'state': 'lost', 'reason': 'could not find job', 'result': shown})
            return
        finished = raw.get('finished') in (1, True)
        state = self._job_state(raw, failed, finished)
        reads = 1
        elapsed = 0.0
        if job is not None:
            job['reads'] += 1
            reads = job['reads']
            elapsed = round(time.time() - job['started'], 1)
        status = {'state': state, 'elapsedSeconds': elapsed, 'polls': reads, 'finished': finished}
        if isinstance(raw.get('rc'), int) and not isinstance(raw.get('rc'), bool):
            status['rc'] = raw['rc']
        self._job_event('job_status', base, jid, status)
        if finished:
            self._job_event('job_joined', base, jid, {'state': state, 'result': shown})

    def _after_result(self, result_obj, event, failed):
        """Job bookkeeping for one result: a poll 0 launch starts a job, an async_status result observes one."""
        raw = _result_dict(result_obj)
        task = _attr(result_obj, 'task', '_task')
        fields = _task_fields(result_obj)
        action = fields.get('action') or getattr(task, 'action', '')
        jid = raw.get('ansible_job_id')
        if not jid:
            return
        base = self._base(event)
        if action in _ASYNC_STATUS_ACTIONS:
            self._observe_job(base, raw, event.get('result'), failed or bool(raw.get('failed')))
        elif raw.get('finished') in (0, False) and raw.get('started'):
            # a launch result, even one failed_when turned into a failure: the job runs either way
            async_val = _int_or_none(fields.get('async_val', getattr(task, 'async_val', None))) or 0
            poll = _int_or_none(fields.get('poll', getattr(task, 'poll', None)))
            register = fields.get('register', getattr(task, 'register', None))
            self._job_started(result_obj, base, str(jid), raw, async_val, poll if poll is not None else 0, register)

    # ---- playbook, play, task --------------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        name = getattr(playbook, '_file_name', None) or ''
        self._emit({'event': 'playbook_on_start', 'playbook': str(name), 'engine': 'ansible', 'pid': os.getpid()})

    def v2_playbook_on_play_start(self, play):
        self._play = play
        hosts = []
        try:
            inventory = play.get_variable_manager()._inventory
            hosts = [h.name for h in inventory.get_hosts(play.hosts)]
        except Exception:
            pattern = getattr(play, 'hosts', None)
            hosts = list(pattern) if isinstance(pattern, list) else ([str(pattern)] if pattern else [])
        path, position = _position(play)
        event = {
            'event': 'playbook_on_play_start',
            'play': play.get_name().strip(),
            'playId': str(getattr(play, '_uuid', '')),
            'hosts': hosts,
        }
        if position:
            event['position'] = position
        self._emit(event)

    def _task_start(self, name, task):
        path, position = _position(task)
        play = self._play
        event = {
            'event': name,
            'play': play.get_name().strip() if play is not None else '',
            'playId': str(getattr(play, '_uuid', '')) if play is not None else '',
            'task': self._task_name(task),
            'taskId': str(getattr(task, '_uuid', '')),
            'action': str(getattr(task, 'action', '') or ''),
        }
        if path:
            event['task_path'] = path
        if position:
            event['position'] = position
        async_val = _int_or_none(getattr(task, 'async_val', None))
        if async_val:
            event['async'] = async_val
            poll = _int_or_none(getattr(task, 'poll', None))
            if poll is not None:
                event['poll'] = poll
        until = getattr(task, 'until', None)
        if until:
            event['hasUntil'] = True
            retries = _int_or_none(getattr(task, 'retries', None))
            event['retries'] = 3 if retries is None else retries
            delay = _int_or_none(getattr(task, 'delay', None))
            if delay is not None:
                event['delay'] = delay
        self._emit(event)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start('playbook_on_task_start', task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start('playbook_on_handler_task_start', task)

    def v2_playbook_on_cleanup_task_start(self, task):
        self._task_start('playbook_on_task_start', task)

    # ---- per host results ------------------------------------------------------------------------------------

    def v2_runner_on_start(self, host, task):
        name = _host_name(host)
        self._running[name] = task
        self._started[(name, str(getattr(task, '_uuid', '')))] = time.time()
        self._emit({'event': 'runner_on_start', 'taskId': str(getattr(task, '_uuid', '')),
                    'task': self._task_name(task), 'host': name})

    def v2_runner_on_ok(self, result):
        event = self._result_event('runner_on_ok', result)
        self._after_result(result, event, failed=False)
        self._emit(event)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        event = self._result_event('runner_on_failed', result, ignore_errors=ignore_errors)
        self._after_result(result, event, failed=True)
        self._emit(event)

    def v2_runner_on_skipped(self, result):
        self._emit(self._result_event('runner_on_skipped', result))

    def v2_runner_on_unreachable(self, result):
        self._emit(self._result_event('runner_on_unreachable', result))

    def v2_runner_item_on_ok(self, result):
        event = self._result_event('runner_item_on_ok', result)
        self._after_result(result, event, failed=False)
        self._emit(event)

    def v2_runner_item_on_failed(self, result):
        event = self._result_event('runner_item_on_failed', result)
        self._after_result(result, event, failed=True)
        self._emit(event)

    def v2_runner_item_on_skipped(self, result):
        self._emit(self._result_event('runner_item_on_skipped', result))

    def v2_runner_retry(self, result):
        raw = _result_dict(result)
        data, _ = self._censor(result, raw)
        fields = _task_fields(result)
        delay = _int_or_none(fields.get('delay'))
        if delay is None:
            delay = 5
        extra = {
            'attempts': int(raw.get('attempts', 0) or 0),
            'retries': int(raw.get('retries', 0) or 0),
            'delay': 1 if delay < 0 else delay,  # task_executor: delay < 0 sleeps 1 s
            'result': _strip_internal(data),
        }
        event = self._host_event('runner_retry', result, extra)
        self._after_result(result, event, failed=False)
        self._emit(event)

    def _async_jid(self, raw):
        jid = raw.get('ansible_job_id')
        if not jid and isinstance(raw.get('async_result'), dict):
            jid = raw['async_result'].get('ansible_job_id')
        return str(jid) if jid else ''

    def _poll_job(self, result_obj, event, raw):
        """poll > 0: Ansible's callbacks never see the launch, so the job is announced at its first check."""
        jid = event.get('jid')
        if not jid:
            return None
        task = self._running.get(event['host'])
        async_val = _int_or_none(getattr(task, 'async_val', None)) or 0
        poll = _int_or_none(getattr(task, 'poll', None)) or 0
        register = getattr(task, 'register', None)
        source = raw if raw.get('results_file') else (raw.get('async_result') or {})
        return self._job_started(result_obj, self._base(event), jid, source, async_val, poll, register)

    def v2_runner_on_async_poll(self, result):
        raw = _result_dict(result)
        data, _ = self._censor(result, raw)
        event = self._host_event('runner_on_async_poll', result)
        # Report the poll under the user's task, not under Ansible's implicit async_status task.
        task = self._running.get(event['host'])
        if task is not None:
            event['taskId'] = str(getattr(task, '_uuid', ''))
            event['task'] = self._task_name(task)
        key = (event['host'], event['taskId'])
        self._polls[key] = self._polls.get(key, 0) + 1
        async_val = _int_or_none(getattr(task, 'async_val', None))
        poll = _int_or_none(getattr(task, 'poll', None))
        event.update({
            'jid': self._async_jid(raw),
            'started': raw.get('started', 0),
            'finished': raw.get('finished', 0),
            'poll': self._polls[key],
            'result': _strip_internal(data),
        })
        if async_val and poll and poll > 0:
            event['polls'] = -(-async_val // poll)
        job = self._poll_job(result, event, raw)
        if job is not None:
            job['reads'] += 1
            self._job_event('job_status', self._base(event), event['jid'], {
                'state': 'running', 'elapsedSeconds': round(time.time() - job['started'], 1), 'polls': job['reads'], 'finished': False,
            })
        self._emit(event)

    def _async_done(self, name, result):
        raw = _result_dict(result)
        data, _ = self._censor(result, raw)
        shown = _strip_internal(data)
        event = self._host_event(name, result, {'jid': self._async_jid(raw), 'result': shown})
        self._polls.pop((event['host'], event['taskId']), None)
        job = self._poll_job(result, event, raw)
        finished = raw.get('finished') in (1, True)
        failed = name == 'runner_on_async_failed'
        if job is not None and finished:
            # the check that saw the job end
            job['reads'] += 1
            status = {'state': self._job_state(raw, failed, True), 'elapsedSeconds': round(time.time() - job['started'], 1), 'polls': job['reads'], 'finished': True}
            if isinstance(raw.get('rc'), int) and not isinstance(raw.get('rc'), bool):
                status['rc'] = raw['rc']
            self._job_event('job_status', self._base(event), event['jid'], status)
        self._emit(event)
        if job is None:
            return
        base = self._base(event)
        if finished:
            self._job_event('job_joined', base, event['jid'], {'state': self._job_state(raw, failed, True), 'result': shown})
            # Ansible removes the status file of every job it joined with poll > 0
            self._job_event('job_cleaned', base, event['jid'], {'state': 'cleaned'})
        else:
            self._job_event('job_timeout', base, event['jid'], {'state': 'running', 'reason': str(raw.get('msg', '')), 'result': shown})

    def v2_runner_on_async_ok(self, result):
        self._async_done('runner_on_async_ok', result)

    def v2_runner_on_async_failed(self, result):
        self._async_done('runner_on_async_failed', result)

    # ---- end ---------------------------------------------------------------------------------------------------

    def v2_playbook_on_no_hosts_matched(self):
        self._emit({'event': 'warning', 'message': 'skipping: no hosts matched'})

    def v2_playbook_on_stats(self, stats):
        summary = {}
        for host in sorted(getattr(stats, 'processed', {}).keys()):
            s = stats.summarize(host)
            summary[host] = {
                'ok': s.get('ok', 0),
                'changed': s.get('changed', 0),
                'unreachable': s.get('unreachable', 0),
                'failed': s.get('failures', 0),
                'skipped': s.get('skipped', 0),
                'rescued': s.get('rescued', 0),
                'ignored': s.get('ignored', 0),
            }
        # rc is decided by ansible-playbook after this call; the reader fills it in from the exit code.
        self._emit({'event': 'playbook_on_stats', 'stats': summary})
        if self._owns_fd and self._fd is not None:
            os.close(self._fd)
            self._fd = None
