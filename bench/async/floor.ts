/**
 * The raw ssh2 floor for the async bench: what a bare ssh2 client needs on this machine to do the scenario's work,
 * with none of the engine's machinery. Run as its own node process (like the engines) so process start-up counts
 * the same way. Each host gets one connection (Nagle off, host key checked against the bench's known_hosts) and,
 * as soon as it is ready, EXECS parallel execs of `sleep SECONDS; date +%s%3N`.
 *
 *   node floor.cjs INFO_JSON HOST_COUNT EXECS SECONDS
 *
 * Prints one JSON line on stdout (see FloorReport); exits 1 if any host or exec failed.
 */
import { readFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { Client } from 'ssh2';

/** absolute times (ms since epoch) so the parent can place them against its own spawn time */
export interface FloorReport {
  /** when this script's first line ran: node start-up ends here */
  startedAt: number;
  /** when the last of the hosts' connections was ready */
  connectedAt: number;
  /** per exec: the time the job printed as its last act, and when its channel closed here */
  execs: Array<{ host: string; printed: number; closedAt: number }>;
  errors: string[];
}

const startedAt = Date.now();

interface SshdInfo { port: number; user: string; hosts: string[]; privateKey: string; knownHosts: string }

const [infoPath, hostCount, execCount, seconds] = process.argv.slice(2);
if (!infoPath || !hostCount || !execCount || !seconds) {
  console.error('usage: floor INFO_JSON HOST_COUNT EXECS SECONDS');
  process.exit(2);
}
const info = JSON.parse(readFileSync(infoPath, 'utf8')) as SshdInfo;
const hosts = info.hosts.slice(0, Number(hostCount));
const privateKey = readFileSync(info.privateKey);

/**
 * The keys known_hosts records for `[host]:port`, as raw blobs. The bench's known_hosts is plain (no hashed
 * entries, no patterns), so an exact name match within the comma-separated host field is the whole lookup.
 */
function knownKeys(host: string): Buffer[] {
  const name = `[${host}]:${info.port}`;
  return readFileSync(info.knownHosts, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields.length >= 3 && !fields[0]!.startsWith('@') && fields[0]!.split(',').includes(name))
    .map((fields) => Buffer.from(fields[2]!, 'base64'));
}

function connectHost(host: string): Promise<Client> {
  const known = knownKeys(host);
  return new Promise((resolveClient, reject) => {
    const sock = netConnect({ host, port: info.port });
    sock.setNoDelay(true);
    const client = new Client();
    client.on('ready', () => resolveClient(client)).on('error', (error) => reject(new Error(`${host}: ${error.message}`)));
    client.connect({
      sock,
      username: info.user,
      privateKey,
      // strict: a key that is not recorded for this host is refused, as the engines run with --host-key-policy strict
      hostVerifier: (key: Buffer) => known.some((recorded) => recorded.equals(key)),
    });
  });
}

function execJob(client: Client, host: string): Promise<{ host: string; printed: number; closedAt: number }> {
  return new Promise((resolveExec, reject) => {
    client.exec(`sleep ${Number(seconds)}; date +%s%3N`, (error, channel) => {
      if (error) return reject(new Error(`${host}: ${error.message}`));
      let stdout = '';
      let code: number | undefined;
      channel.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      channel.stderr.resume();
      channel.on('exit', (c: number) => (code = c));
      channel.on('close', () => {
        const closedAt = Date.now();
        const printed = Number(stdout.trim());
        if (code !== 0 || !/^\d{13}$/.test(stdout.trim())) reject(new Error(`${host}: exec exited ${code} with ${JSON.stringify(stdout.slice(0, 200))}`));
        else resolveExec({ host, printed, closedAt });
      });
    });
  });
}

(async () => {
  const report: FloorReport = { startedAt, connectedAt: 0, execs: [], errors: [] };
  const clients: Client[] = [];
  await Promise.all(
    hosts.map(async (host) => {
      try {
        const client = await connectHost(host);
        clients.push(client);
        report.connectedAt = Math.max(report.connectedAt, Date.now());
        const results = await Promise.all(Array.from({ length: Number(execCount) }, () => execJob(client, host)));
        report.execs.push(...results);
      } catch (error) {
        report.errors.push((error as Error).message);
      }
    }),
  );
  for (const client of clients) client.end();
  process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(report.errors.length ? 1 : 0));
})();
