export async function runCommand(args: string[]): Promise<number> {
  console.error('playbook-studio run: not implemented yet', args.length);
  return 3;
}
