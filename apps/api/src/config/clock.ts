/**
 * Where the API's code asks what time it is, when the answer decides a rule: a score's as-of instant
 * (evidence expiry and age), today's date for remediation due dates and overdue flags, the attestation
 * check. Injected, so tests move time forward instead of sleeping; production uses the system clock.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
