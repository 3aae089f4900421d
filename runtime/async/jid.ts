/**
 * Job ids as async_wrapper makes them: `j` + a random integer below 999999999999 chosen by the controller, then
 * `.` + the pid of the remote wrapper process (appended on the target).
 */
import { randomInt } from 'node:crypto';

export function jidPrefix(): string {
  // randomInt's upper bound must stay below 2**48; 999999999999 does.
  return `j${randomInt(0, 999_999_999_999)}`;
}

export const JID_PATTERN = /^j\d{1,12}\.\d+$/;
