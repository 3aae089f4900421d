/**
 * Vitest global setup: starts the private sshd once for the whole run (tests never skip because it is
 * missing: start-sshd.sh fails loudly) and stops it afterwards if this run started it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, stopSshd, sshdDir } from './sshd';

export default function setup(): () => void {
  const wasRunning = existsSync(join(sshdDir, 'pids'));
  const info = startSshd(Number(process.env.PS_SSHD_HOSTS ?? 8));
  process.env.PS_SSHD_PORT_USED = String(info.port);
  return () => {
    if (!wasRunning) stopSshd();
  };
}
