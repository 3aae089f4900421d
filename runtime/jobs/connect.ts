/**
 * Reconnecting to a journaled job's host from the facts job_started recorded (address, port, user, key and
 * known_hosts paths). Host keys are verified strictly against the recorded known_hosts: an attach never trusts
 * a key it has not seen.
 */
import { LocalConnection } from '../connection/local';
import { SshConnection } from '../connection/ssh';
import type { Connection } from '../connection/types';
import type { JobRecord } from './tracker';

export class NoTargetError extends Error {
  constructor(job: JobRecord) {
    super(`the journal has no connection facts for ${job.statusHost} (job ${job.jid}); it was written by an engine that does not record them`);
    this.name = 'NoTargetError';
  }
}

export function connectionForJob(job: JobRecord): Connection {
  if (job.local) return new LocalConnection(job.statusHost);
  const target = job.target;
  if (!target) throw new NoTargetError(job);
  return new SshConnection({
    name: job.statusHost,
    host: target.address,
    port: target.port,
    user: target.user,
    keyFiles: target.privateKeyPath ? [target.privateKeyPath] : [],
    ...(target.knownHostsPath ? { knownHostsFiles: [target.knownHostsPath] } : {}),
    hostKeyPolicy: 'strict',
    sshConfigFile: false,
  });
}

/** One connection per job host, shared by the jobs on it. */
export class JobConnections {
  private readonly byKey = new Map<string, Connection>();

  constructor(private readonly factory: (job: JobRecord) => Connection = connectionForJob) {}

  get(job: JobRecord): Connection {
    const t = job.target;
    const key = job.local ? `local:${job.statusHost}` : `${t?.user}@${t?.address}:${t?.port}:${job.statusHost}`;
    let connection = this.byKey.get(key);
    if (!connection) {
      connection = this.factory(job);
      this.byKey.set(key, connection);
    }
    return connection;
  }

  all(): Connection[] {
    return [...this.byKey.values()];
  }
}
