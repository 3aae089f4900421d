/**
 * ansible.builtin modules the project knows statically. Async support follows ansible-core's action plugins:
 * a module with its own action plugin supports async only when that plugin sets _supports_async (observed in
 * truth case 12); modules without one run through the `normal` action, which does.
 */
import type { ModuleInfo, ModuleOption } from './types';

function o(name: string, type: ModuleOption['type'], doc: string, extra: Partial<ModuleOption> = {}): ModuleOption {
  return { name, type, doc, ...extra };
}

const COMMAND_RESULT = ['rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'cmd', 'start', 'end', 'delta', 'msg', 'changed', 'failed'];
const FILE_RESULT = ['path', 'dest', 'state', 'mode', 'owner', 'group', 'uid', 'gid', 'size', 'changed', 'failed'];

const stateChoices = (...c: string[]) => ({ choices: c });

const commandOptions: ModuleOption[] = [
  o('cmd', 'str', 'The command to run (alternative to the free-form text).'),
  o('argv', 'list', 'The command as a list of arguments (no shell parsing).'),
  o('chdir', 'path', 'Change into this directory before running.'),
  o('creates', 'path', 'Do not run when this path exists.'),
  o('removes', 'path', 'Run only when this path exists.'),
  o('stdin', 'str', 'Data passed to the command on stdin.'),
  o('stdin_add_newline', 'bool', 'Append a newline to stdin.', { default: true }),
  o('strip_empty_ends', 'bool', 'Strip empty lines at the end of stdout/stderr.', { default: true }),
  o('free_form', 'str', 'The command to run (free-form text after the module name).'),
];

export const BUILTIN_MODULES: readonly ModuleInfo[] = [
  {
    name: 'command', fqcn: 'ansible.builtin.command', doc: 'Run a command without a shell (no pipes, redirects, &&, $VAR).',
    options: [...commandOptions, o('expand_argument_vars', 'bool', 'Expand $VARS in arguments.', { default: true, }) ],
    freeForm: true, freeFormKeys: ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'],
    async: 'yes', checkMode: 'partial', attemptBound: { kind: 'unbounded' }, returns: COMMAND_RESULT,
  },
  {
    name: 'shell', fqcn: 'ansible.builtin.shell', doc: 'Run a command through the remote shell (/bin/sh).',
    options: [...commandOptions.filter((x) => x.name !== 'argv'), o('executable', 'path', 'Shell to use.')],
    freeForm: true, freeFormKeys: ['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends'],
    async: 'yes', checkMode: 'partial', attemptBound: { kind: 'unbounded' }, returns: COMMAND_RESULT,
  },
  {
    name: 'raw', fqcn: 'ansible.builtin.raw', doc: 'Run a raw command over the connection (no module subsystem).',
    options: [o('free_form', 'str', 'The command.', { required: true }), o('executable', 'path', 'Shell to use.')],
    freeForm: true, freeFormKeys: ['executable'],
    async: 'no', checkMode: 'none', attemptBound: { kind: 'unbounded' }, returns: ['rc', 'stdout', 'stderr', 'stdout_lines', 'changed'],
  },
  {
    name: 'script', fqcn: 'ansible.builtin.script', doc: 'Transfer a local script and run it on the target.',
    options: [
      o('free_form', 'str', 'Path of the local script followed by its arguments.'), o('cmd', 'str', 'Path of the local script and arguments.'),
      o('creates', 'path', 'Do not run when this path exists.'), o('removes', 'path', 'Run only when this path exists.'),
      o('chdir', 'path', 'Change into this directory on the target first.'), o('executable', 'str', 'Interpreter for the script.'),
    ],
    freeForm: true, freeFormKeys: ['creates', 'removes', 'chdir', 'executable'],
    async: 'no', checkMode: 'partial', attemptBound: { kind: 'unbounded' }, returns: ['rc', 'stdout', 'stderr', 'stdout_lines', 'changed'],
  },
  {
    name: 'async_status', fqcn: 'ansible.builtin.async_status', doc: 'Read (or clean up) the status file of an async job.',
    options: [
      o('jid', 'str', 'Job id (`register.ansible_job_id` of the launch).', { required: true }),
      o('mode', 'str', '`status` reads the status file; `cleanup` deletes it (the job keeps running).', { choices: ['status', 'cleanup'], default: 'status' }),
    ],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'instant' },
    returns: ['ansible_job_id', 'finished', 'started', 'results_file', 'erased', 'rc', 'stdout', 'stderr', 'stdout_lines', 'stderr_lines', 'msg', 'changed', 'failed'],
  },
  {
    name: 'debug', fqcn: 'ansible.builtin.debug', doc: 'Print a message or a variable.',
    options: [o('msg', 'raw', 'Message to print.', { default: 'Hello world!' }), o('var', 'str', 'Variable (expression) to print.'), o('verbosity', 'int', 'Minimum -v level to print.', { default: 0 })],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['msg', 'changed', 'failed'],
  },
  {
    name: 'set_fact', fqcn: 'ansible.builtin.set_fact', doc: 'Set host variables.',
    options: [o('key_value', 'dict', 'Variables to set (any key).'), o('cacheable', 'bool', 'Also store in the fact cache.', { default: false })],
    freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['ansible_facts', 'changed', 'failed'],
  },
  {
    name: 'assert', fqcn: 'ansible.builtin.assert', doc: 'Fail when a condition is false.',
    options: [
      o('that', 'list', 'Conditions (bare expressions) that must all be true.', { required: true }),
      o('fail_msg', 'str', 'Message on failure.', { aliases: ['msg'] }), o('success_msg', 'str', 'Message on success.'),
      o('quiet', 'bool', 'Less verbose output.', { default: false }),
    ],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['msg', 'assertion', 'evaluated_to', 'changed', 'failed'],
  },
  {
    name: 'fail', fqcn: 'ansible.builtin.fail', doc: 'Fail with a message.',
    options: [o('msg', 'str', 'Message.', { default: 'Failed as requested from task' })],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['msg'],
  },
  {
    name: 'pause', fqcn: 'ansible.builtin.pause', doc: 'Pause for a time or until a prompt is answered.',
    options: [
      o('seconds', 'int', 'Seconds to pause (values below 1 pause 1 s).'), o('minutes', 'int', 'Minutes to pause.'),
      o('prompt', 'str', 'Prompt text (waits for input when no time is given).'), o('echo', 'bool', 'Echo input.', { default: true }),
    ],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'pause' },
    returns: ['delta', 'echo', 'rc', 'start', 'stop', 'stdout', 'stderr', 'user_input', 'changed'],
  },
  {
    name: 'include_vars', fqcn: 'ansible.builtin.include_vars', doc: 'Load variables from a file or directory.',
    options: [o('file', 'path', 'File to load.'), o('dir', 'path', 'Directory to load.'), o('name', 'str', 'Put the variables under this key.'), o('free_form', 'str', 'File or directory.')],
    freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['ansible_facts', 'ansible_included_var_files'],
  },
  {
    name: 'add_host', fqcn: 'ansible.builtin.add_host', doc: 'Add a host to the in-memory inventory.',
    options: [o('name', 'str', 'Host name.', { required: true, aliases: ['host', 'hostname'] }), o('groups', 'list', 'Groups to add it to.', { aliases: ['group', 'groupname'] })],
    freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['add_host', 'changed'],
  },
  {
    name: 'group_by', fqcn: 'ansible.builtin.group_by', doc: 'Create groups from a key.',
    options: [o('key', 'str', 'Group name.', { required: true }), o('parents', 'list', 'Parent groups.', { default: ['all'] })],
    freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' }, returns: ['changed', 'groups'],
  },
  {
    name: 'meta', fqcn: 'ansible.builtin.meta', doc: 'Control execution (flush_handlers, end_play, end_host, ...).',
    options: [o('free_form', 'str', 'The meta action.', { required: true, choices: ['clear_facts', 'clear_host_errors', 'end_host', 'end_play', 'flush_handlers', 'noop', 'refresh_inventory', 'reset_connection', 'end_batch', 'end_role'] })],
    freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'set_stats', fqcn: 'ansible.builtin.set_stats', doc: 'Set custom stats shown at the end.',
    options: [o('data', 'dict', 'Stats.', { required: true }), o('per_host', 'bool', 'Per host.', { default: false }), o('aggregate', 'bool', 'Aggregate.', { default: true })],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'validate_argument_spec', fqcn: 'ansible.builtin.validate_argument_spec', doc: 'Validate arguments against a spec.',
    options: [o('argument_spec', 'dict', 'Spec.', { required: true }), o('provided_arguments', 'dict', 'Arguments.')],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'wait_for_connection', fqcn: 'ansible.builtin.wait_for_connection', doc: 'Wait until the target is reachable.',
    options: [o('timeout', 'int', 'Maximum seconds to wait.', { default: 600 }), o('delay', 'int', 'Seconds before the first check.', { default: 0 }), o('sleep', 'int', 'Seconds between checks.', { default: 1 }), o('connect_timeout', 'int', 'Per-connection timeout.', { default: 5 })],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'option', option: 'timeout', default: 600 }, returns: ['elapsed'],
  },
  {
    name: 'copy', fqcn: 'ansible.builtin.copy', doc: 'Copy a file (or content) to the target.',
    options: [
      o('src', 'path', 'Local source path.'), o('content', 'str', 'Content to write instead of src.'), o('dest', 'path', 'Destination path.', { required: true }),
      o('mode', 'raw', 'Permissions.'), o('owner', 'str', 'Owner.'), o('group', 'str', 'Group.'), o('backup', 'bool', 'Keep a backup.', { default: false }),
      o('force', 'bool', 'Replace when contents differ.', { default: true }), o('remote_src', 'bool', 'src is on the target.', { default: false }),
      o('validate', 'str', 'Validation command (%s is the file).'),
    ],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: [...FILE_RESULT, 'checksum', 'md5sum', 'src', 'backup_file'],
  },
  {
    name: 'template', fqcn: 'ansible.builtin.template', doc: 'Render a Jinja2 template to the target.',
    options: [
      o('src', 'path', 'Template on the controller.', { required: true }), o('dest', 'path', 'Destination path.', { required: true }),
      o('mode', 'raw', 'Permissions.'), o('owner', 'str', 'Owner.'), o('group', 'str', 'Group.'), o('backup', 'bool', 'Keep a backup.', { default: false }),
      o('force', 'bool', 'Replace when contents differ.', { default: true }), o('validate', 'str', 'Validation command.'),
    ],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: [...FILE_RESULT, 'checksum'],
  },
  {
    name: 'fetch', fqcn: 'ansible.builtin.fetch', doc: 'Fetch a file from the target.',
    options: [o('src', 'str', 'Remote file.', { required: true }), o('dest', 'str', 'Local directory.', { required: true }), o('flat', 'bool', 'No host directory.', { default: false }), o('fail_on_missing', 'bool', 'Fail when missing.', { default: true })],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['dest', 'checksum', 'file', 'changed'],
  },
  {
    name: 'assemble', fqcn: 'ansible.builtin.assemble', doc: 'Assemble a file from fragments.',
    options: [o('src', 'path', 'Directory of fragments.', { required: true }), o('dest', 'path', 'Destination.', { required: true }), o('remote_src', 'bool', 'Fragments on the target.', { default: true })],
    async: 'no', checkMode: 'none', attemptBound: { kind: 'instant' }, returns: FILE_RESULT,
  },
  {
    name: 'unarchive', fqcn: 'ansible.builtin.unarchive', doc: 'Unpack an archive (optionally copying it first).',
    options: [
      o('src', 'path', 'Archive path (local unless remote_src).', { required: true }), o('dest', 'path', 'Directory to unpack into.', { required: true }),
      o('remote_src', 'bool', 'src is on the target.', { default: false }), o('creates', 'path', 'Skip when this path exists.'),
      o('extra_opts', 'list', 'Extra options for the unpacker.', { default: [] }), o('owner', 'str', 'Owner.'), o('group', 'str', 'Group.'), o('mode', 'raw', 'Permissions.'),
    ],
    async: 'no', checkMode: 'partial', attemptBound: { kind: 'unbounded' }, returns: ['dest', 'files', 'handler', 'src', 'changed'],
  },
  {
    name: 'gather_facts', fqcn: 'ansible.builtin.gather_facts', doc: 'Gather facts (runs the configured fact modules).',
    options: [o('parallel', 'bool', 'Run fact modules in parallel.')],
    async: 'no', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['ansible_facts'],
  },
  // modules without their own action plugin: the `normal` action supports async
  {
    name: 'setup', fqcn: 'ansible.builtin.setup', doc: 'Gather facts about the target.',
    options: [o('gather_subset', 'list', 'Fact subsets.', { default: ['all'] }), o('gather_timeout', 'int', 'Per-collector timeout.', { default: 10 }), o('filter', 'list', 'Fact name patterns.', { default: [] }), o('fact_path', 'path', 'Local facts path.', { default: '/etc/ansible/facts.d' })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['ansible_facts'],
  },
  {
    name: 'ping', fqcn: 'ansible.builtin.ping', doc: 'Check the module subsystem works on the target.',
    options: [o('data', 'str', 'Returned as ping.', { default: 'pong' })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['ping'],
  },
  {
    name: 'file', fqcn: 'ansible.builtin.file', doc: 'Manage files, directories, links and their attributes.',
    options: [
      o('path', 'path', 'Path to manage.', { required: true, aliases: ['dest', 'name'] }),
      o('state', 'str', 'What the path should be.', stateChoices('absent', 'directory', 'file', 'hard', 'link', 'touch')),
      o('mode', 'raw', 'Permissions.'), o('owner', 'str', 'Owner.'), o('group', 'str', 'Group.'), o('src', 'path', 'Link target.'),
      o('recurse', 'bool', 'Apply recursively (directories).', { default: false }), o('force', 'bool', 'Force links.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: FILE_RESULT,
  },
  {
    name: 'stat', fqcn: 'ansible.builtin.stat', doc: 'Facts about a path.',
    options: [o('path', 'path', 'Path.', { required: true, aliases: ['dest', 'name'] }), o('follow', 'bool', 'Follow links.', { default: false }), o('get_checksum', 'bool', 'Compute a checksum.', { default: true }), o('checksum_algorithm', 'str', 'Algorithm.', { default: 'sha1' })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['stat'],
  },
  {
    name: 'slurp', fqcn: 'ansible.builtin.slurp', doc: 'Read a remote file as base64.',
    options: [o('src', 'path', 'The remote file to read (not a directory).', { required: true, aliases: ['path'] })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['content', 'encoding', 'source'],
  },
  {
    name: 'find', fqcn: 'ansible.builtin.find', doc: 'Find files by criteria.',
    options: [
      o('paths', 'list', 'Directories to search.', { required: true, aliases: ['name', 'path'] }), o('patterns', 'list', 'Glob or regex patterns.', { aliases: ['pattern'] }),
      o('age', 'str', 'Minimum age (e.g. 1d, -2h).'), o('recurse', 'bool', 'Descend into directories.', { default: false }),
      o('file_type', 'str', 'Type.', { choices: ['any', 'directory', 'file', 'link'], default: 'file' }), o('hidden', 'bool', 'Include hidden files.', { default: false }),
      o('size', 'str', 'Minimum size.'), o('use_regex', 'bool', 'Patterns are regexes.', { default: false }), o('contains', 'str', 'Content regex.'),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['files', 'matched', 'examined', 'skipped_paths', 'msg'],
  },
  {
    name: 'lineinfile', fqcn: 'ansible.builtin.lineinfile', doc: 'Ensure a line is (or is not) in a file.',
    options: [
      o('path', 'path', 'File.', { required: true, aliases: ['dest', 'destfile', 'name'] }), o('line', 'str', 'The line.', { aliases: ['value'] }),
      o('regexp', 'str', 'Regex of the line to replace.', { aliases: ['regex'] }), o('state', 'str', 'present or absent.', { choices: ['absent', 'present'], default: 'present' }),
      o('insertafter', 'str', 'Insert after this regex (or EOF).'), o('insertbefore', 'str', 'Insert before this regex (or BOF).'),
      o('create', 'bool', 'Create the file.', { default: false }), o('backup', 'bool', 'Keep a backup.', { default: false }), o('mode', 'raw', 'Permissions.'),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['backup', 'msg', 'changed'],
  },
  {
    name: 'blockinfile', fqcn: 'ansible.builtin.blockinfile', doc: 'Insert/update/remove a marked block of lines.',
    options: [
      o('path', 'path', 'File.', { required: true, aliases: ['dest', 'destfile', 'name'] }), o('block', 'str', 'The text.', { default: '', aliases: ['content'] }),
      o('marker', 'str', 'Marker template.', { default: '# {mark} ANSIBLE MANAGED BLOCK' }), o('state', 'str', 'present or absent.', { choices: ['absent', 'present'], default: 'present' }),
      o('insertafter', 'str', 'Insert after this regex.'), o('insertbefore', 'str', 'Insert before this regex.'), o('create', 'bool', 'Create the file.', { default: false }),
      o('backup', 'bool', 'Keep a backup.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['msg', 'changed'],
  },
  {
    name: 'archive', fqcn: 'community.general.archive', doc: 'Create a compressed archive.',
    options: [o('path', 'list', 'Paths to archive.', { required: true }), o('dest', 'path', 'Archive file.'), o('format', 'str', 'Format.', { choices: ['bz2', 'gz', 'tar', 'xz', 'zip'], default: 'gz' }), o('remove', 'bool', 'Remove sources.', { default: false })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['state', 'dest', 'archived', 'missing', 'changed'],
  },
  {
    name: 'get_url', fqcn: 'ansible.builtin.get_url', doc: 'Download a file over HTTP(S)/FTP to the target.',
    options: [
      o('url', 'str', 'URL.', { required: true }), o('dest', 'path', 'Destination path.', { required: true }),
      o('timeout', 'int', 'Timeout of the request in seconds.', { default: 10 }), o('checksum', 'str', 'algorithm:checksum of the file.', { default: '' }),
      o('mode', 'raw', 'Permissions.'), o('force', 'bool', 'Download even when dest exists.', { default: false }), o('headers', 'dict', 'Headers.'),
      o('validate_certs', 'bool', 'Verify TLS certificates.', { default: true }), o('url_username', 'str', 'User.'), o('url_password', 'str', 'Password.'),
    ],
    async: 'yes', checkMode: 'partial', attemptBound: { kind: 'option', option: 'timeout', default: 10 },
    returns: ['dest', 'status_code', 'checksum_dest', 'checksum_src', 'size', 'url', 'elapsed', 'msg', 'changed'],
  },
  {
    name: 'uri', fqcn: 'ansible.builtin.uri', doc: 'Interact with HTTP(S) web services.',
    options: [
      o('url', 'str', 'URL.', { required: true }), o('method', 'str', 'HTTP method.', { default: 'GET' }), o('body', 'raw', 'Request body.'),
      o('body_format', 'str', 'Body encoding.', { choices: ['form-urlencoded', 'json', 'raw', 'form-multipart'], default: 'raw' }),
      o('status_code', 'list', 'Accepted status codes.', { default: [200] }), o('timeout', 'int', 'Socket timeout in seconds.', { default: 30 }),
      o('headers', 'dict', 'Headers.'), o('return_content', 'bool', 'Return the body as content.', { default: false }),
      o('validate_certs', 'bool', 'Verify TLS certificates.', { default: true }), o('follow_redirects', 'str', 'Redirect policy.', { default: 'safe' }),
      o('dest', 'path', 'Save the body here.'), o('url_username', 'str', 'User.'), o('url_password', 'str', 'Password.'),
    ],
    async: 'yes', checkMode: 'none', attemptBound: { kind: 'option', option: 'timeout', default: 30 },
    returns: ['status', 'content', 'json', 'url', 'redirected', 'elapsed', 'msg', 'changed'],
  },
  {
    name: 'wait_for', fqcn: 'ansible.builtin.wait_for', doc: 'Wait for a port, file, process or a time.',
    options: [
      o('host', 'str', 'Host to connect to.', { default: '127.0.0.1' }), o('port', 'int', 'Port.'), o('path', 'path', 'File to wait for.'),
      o('timeout', 'int', 'Maximum seconds to wait.', { default: 300 }), o('delay', 'int', 'Seconds before the first check.', { default: 0 }),
      o('sleep', 'int', 'Seconds between checks.', { default: 1 }), o('connect_timeout', 'int', 'Per-connection timeout.', { default: 5 }),
      o('state', 'str', 'Condition.', { choices: ['absent', 'drained', 'present', 'started', 'stopped'], default: 'started' }),
      o('search_regex', 'str', 'Regex to find in the file or socket.'), o('msg', 'str', 'Message on timeout.'),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'option', option: 'timeout', default: 300 },
    returns: ['elapsed', 'match_groups', 'match_groupdict', 'path', 'port', 'state'],
  },
  {
    name: 'apt', fqcn: 'ansible.builtin.apt', doc: 'Manage apt packages.',
    options: [
      o('name', 'list', 'Package names.', { aliases: ['package', 'pkg'] }), o('state', 'str', 'State.', { choices: ['absent', 'build-dep', 'latest', 'present', 'fixed'], default: 'present' }),
      o('update_cache', 'bool', 'Run apt-get update first.', { default: false, aliases: ['update-cache'] }), o('cache_valid_time', 'int', 'Cache age in seconds.', { default: 0 }),
      o('upgrade', 'str', 'Upgrade mode.', { choices: ['dist', 'full', 'no', 'safe', 'yes'], default: 'no' }), o('autoremove', 'bool', 'Remove unused dependencies.', { default: false }),
      o('deb', 'path', 'A .deb to install.'), o('install_recommends', 'bool', 'Install recommended packages.'), o('purge', 'bool', 'Purge configuration.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['cache_updated', 'cache_update_time', 'stdout', 'stderr', 'changed'],
  },
  ...['yum', 'dnf'].map((name): ModuleInfo => ({
    name, fqcn: `ansible.builtin.${name}`, doc: `Manage packages with ${name}.`,
    options: [
      o('name', 'list', 'Package names.', { aliases: ['pkg'] }), o('state', 'str', 'State.', { choices: ['absent', 'installed', 'latest', 'present', 'removed'] }),
      o('update_cache', 'bool', 'Refresh the cache first.', { default: false }), o('enablerepo', 'list', 'Repositories to enable.'),
      o('disablerepo', 'list', 'Repositories to disable.'), o('disable_gpg_check', 'bool', 'Skip GPG checks.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['results', 'rc', 'msg', 'changed'],
  })),
  {
    name: 'package', fqcn: 'ansible.builtin.package', doc: 'Generic package manager (uses the detected one).',
    options: [o('name', 'list', 'Package names.', { required: true }), o('state', 'str', 'present, absent, latest.', { required: true }), o('use', 'str', 'Package manager module to use.', { default: 'auto' })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' },
  },
  {
    name: 'service', fqcn: 'ansible.builtin.service', doc: 'Manage services.',
    options: [
      o('name', 'str', 'Service name.', { required: true }), o('state', 'str', 'State.', { choices: ['reloaded', 'restarted', 'started', 'stopped'] }),
      o('enabled', 'bool', 'Start on boot.'), o('use', 'str', 'Service manager module.', { default: 'auto' }), o('arguments', 'str', 'Extra arguments.', { aliases: ['args'] }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['name', 'state', 'status', 'changed'],
  },
  {
    name: 'systemd', fqcn: 'ansible.builtin.systemd', aliases: ['systemd_service', 'ansible.builtin.systemd_service', 'ansible.legacy.systemd_service'], doc: 'Manage systemd units.',
    options: [
      o('name', 'str', 'Unit name.', { aliases: ['service', 'unit'] }), o('state', 'str', 'State.', { choices: ['reloaded', 'restarted', 'started', 'stopped'] }),
      o('enabled', 'bool', 'Start on boot.'), o('daemon_reload', 'bool', 'Reload systemd first.', { default: false, aliases: ['daemon-reload'] }),
      o('masked', 'bool', 'Mask the unit.'), o('scope', 'str', 'Manager scope.', { choices: ['system', 'user', 'global'], default: 'system' }), o('no_block', 'bool', 'Do not wait for the job.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['name', 'status', 'state', 'enabled', 'changed'],
  },
  {
    name: 'user', fqcn: 'ansible.builtin.user', doc: 'Manage user accounts.',
    options: [
      o('name', 'str', 'User name.', { required: true, aliases: ['user'] }), o('state', 'str', 'State.', { choices: ['absent', 'present'], default: 'present' }),
      o('uid', 'int', 'UID.'), o('group', 'str', 'Primary group.'), o('groups', 'list', 'Supplementary groups.'), o('append', 'bool', 'Append groups.', { default: false }),
      o('shell', 'str', 'Login shell.'), o('home', 'path', 'Home directory.'), o('create_home', 'bool', 'Create the home directory.', { default: true }),
      o('password', 'str', 'Hashed password.'), o('system', 'bool', 'System account.', { default: false }), o('remove', 'bool', 'Remove files on absent.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['name', 'uid', 'group', 'home', 'shell', 'state', 'changed'],
  },
  {
    name: 'group', fqcn: 'ansible.builtin.group', doc: 'Manage groups.',
    options: [o('name', 'str', 'Group name.', { required: true }), o('state', 'str', 'State.', { choices: ['absent', 'present'], default: 'present' }), o('gid', 'int', 'GID.'), o('system', 'bool', 'System group.', { default: false })],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'instant' }, returns: ['name', 'gid', 'state', 'changed'],
  },
  {
    name: 'git', fqcn: 'ansible.builtin.git', doc: 'Check out a git repository.',
    options: [
      o('repo', 'str', 'Repository URL.', { required: true, aliases: ['name'] }), o('dest', 'path', 'Checkout directory.', { required: true }),
      o('version', 'str', 'Branch, tag or commit.', { default: 'HEAD' }), o('force', 'bool', 'Discard local changes.', { default: false }),
      o('depth', 'int', 'Shallow clone depth.'), o('update', 'bool', 'Fetch new revisions.', { default: true }), o('accept_hostkey', 'bool', 'Accept unknown host keys.', { default: false }),
    ],
    async: 'yes', checkMode: 'full', attemptBound: { kind: 'unbounded' }, returns: ['after', 'before', 'remote_url_changed', 'changed'],
  },
  {
    name: 'reboot', fqcn: 'ansible.builtin.reboot', doc: 'Reboot the target and wait for it to come back.',
    options: [
      o('reboot_timeout', 'int', 'Seconds to wait for the machine to come back.', { default: 600 }), o('pre_reboot_delay', 'int', 'Seconds before rebooting.', { default: 0 }),
      o('post_reboot_delay', 'int', 'Seconds after it is back.', { default: 0 }), o('connect_timeout', 'int', 'Connection timeout.'),
      o('test_command', 'str', 'Command that shows it is back.', { default: 'whoami' }), o('msg', 'str', 'Message to users.', { default: 'Reboot initiated by Ansible' }),
    ],
    async: { before: '2.17' }, checkMode: 'full', attemptBound: { kind: 'option', option: 'reboot_timeout', default: 600 }, returns: ['rebooted', 'elapsed'],
  },
  {
    name: 'import_tasks', fqcn: 'ansible.builtin.import_tasks', doc: 'Statically import a task file (at parse time).',
    options: [o('file', 'str', 'Task file.'), o('free_form', 'str', 'Task file.')], freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'include_tasks', fqcn: 'ansible.builtin.include_tasks', doc: 'Dynamically include a task file (at run time).',
    options: [o('file', 'str', 'Task file.'), o('apply', 'dict', 'Keywords applied to the included tasks.'), o('free_form', 'str', 'Task file.')], freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'import_role', fqcn: 'ansible.builtin.import_role', doc: 'Statically import a role.',
    options: [o('name', 'str', 'Role name.', { required: true }), o('tasks_from', 'str', 'Task file of the role.', { default: 'main' }), o('vars_from', 'str', 'Vars file.'), o('defaults_from', 'str', 'Defaults file.'), o('handlers_from', 'str', 'Handlers file.')],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'include_role', fqcn: 'ansible.builtin.include_role', doc: 'Dynamically include a role.',
    options: [o('name', 'str', 'Role name.', { required: true }), o('tasks_from', 'str', 'Task file of the role.', { default: 'main' }), o('vars_from', 'str', 'Vars file.'), o('defaults_from', 'str', 'Defaults file.'), o('handlers_from', 'str', 'Handlers file.'), o('apply', 'dict', 'Keywords applied to the role tasks.'), o('public', 'bool', 'Expose role vars.', { default: false })],
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
  {
    name: 'import_playbook', fqcn: 'ansible.builtin.import_playbook', doc: 'Import a playbook file.',
    options: [o('free_form', 'str', 'Playbook file.')], freeForm: true,
    async: 'no', checkMode: 'full', controllerOnly: true, attemptBound: { kind: 'instant' },
  },
];
