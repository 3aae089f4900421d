/**
 * `serial:` batches: a number, a percentage of the play's hosts, or a list of those (the last value repeats).
 * Percentages round down but never below one host, as in Ansible.
 */
export class SerialError extends Error {}

export function serialBatches<T>(hosts: readonly T[], serial: unknown): T[][] {
  if (serial === undefined || serial === null || hosts.length === 0) return [hosts.slice()];
  const specs = Array.isArray(serial) ? serial : [serial];
  if (specs.length === 0) return [hosts.slice()];
  const sizes = specs.map((spec) => batchSize(spec, hosts.length));
  const batches: T[][] = [];
  let index = 0;
  let i = 0;
  while (index < hosts.length) {
    const size = sizes[Math.min(i, sizes.length - 1)];
    batches.push(hosts.slice(index, index + size));
    index += size;
    i++;
  }
  return batches;
}

function batchSize(spec: unknown, total: number): number {
  const text = String(spec).trim();
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
  let size: number;
  if (percent) size = Math.floor((Number(percent[1]) / 100) * total);
  else if (/^-?\d+$/.test(text)) size = Number(text);
  else throw new SerialError(`serial must be a number, a percentage or a list of those; got "${text}"`);
  if (size <= 0) size = percent ? 1 : total;
  return Math.min(Math.max(1, size), total);
}
