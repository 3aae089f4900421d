export async function jobsCommand(args: string[]): Promise<number> {
  console.error('playbook-studio jobs: not implemented yet', args.length);
  return 3;
}
