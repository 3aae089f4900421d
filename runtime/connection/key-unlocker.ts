/**
 * Decrypts passphrase-protected key files once per pool: connections to 50 hosts with the same key ask for its
 * passphrase once (the others wait for that answer), and a reconnect does not ask again. A wrong or refused
 * passphrase is not remembered, so the next connect asks anew.
 */
import { utils, type ParsedKey } from 'ssh2';

export type UnlockResult = { key: ParsedKey } | { reason: 'declined' | 'wrong' };

export class KeyUnlocker {
  private readonly pending = new Map<string, Promise<UnlockResult>>();

  unlock(file: string, data: Buffer, prompt: (file: string) => Promise<string | undefined>): Promise<UnlockResult> {
    let result = this.pending.get(file);
    if (!result) {
      result = (async (): Promise<UnlockResult> => {
        const passphrase = await prompt(file);
        if (passphrase === undefined) return { reason: 'declined' };
        const parsed = utils.parseKey(data, passphrase);
        if (parsed instanceof Error) return { reason: 'wrong' };
        return { key: Array.isArray(parsed) ? parsed[0] : parsed };
      })();
      this.pending.set(file, result);
      void result.then((r) => 'reason' in r && this.pending.delete(file), () => this.pending.delete(file));
    }
    return result;
  }
}
