/**
 * The `playbook-studio` command line: `run` (runtime engine), `check` (the language server's rules),
 * `jobs` (journaled async jobs). Each subcommand lives in its own file and returns the exit code.
 */
import { runCommand } from './run';
import { checkCommand } from './check';
import { jobsCommand } from './jobs';

const usage = `usage: playbook-studio <command> [options]

commands:
  run PLAYBOOK -i INVENTORY [options]   run a playbook over SSH with the bundled engine
  check [--json] PATHS...               check playbooks (async/poll/until/retries/delay and more)
  jobs list|attach|cleanup JOURNAL      list, re-attach to or clean up journaled async jobs

run 'playbook-studio <command> --help' for the options of a command.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'check':
      return checkCommand(rest);
    case 'jobs':
      return jobsCommand(rest);
    case '--version':
    case '-V':
      console.log('playbook-studio 0.1.0');
      return 0;
    case undefined:
    case '-h':
    case '--help':
      console.log(usage);
      return command === undefined ? 2 : 0;
    default:
      console.error(`playbook-studio: unknown command '${command}'\n\n${usage}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`playbook-studio: ${(error as Error)?.stack ?? String(error)}`);
    process.exitCode = 250;
  },
);
