export async function checkCommand(args: string[]): Promise<number> {
  console.error('playbook-studio check: not implemented yet', args.length);
  return 3;
}
