import { Injectable } from '@nestjs/common';

/**
 * Asks for a delivery run soon after mail is written, so a message does not wait for the next
 * minute's scheduled run. The job runner attaches itself at start (only in processes with
 * JOBS_WORKER); elsewhere a kick does nothing and the scheduled run, in whichever process has
 * jobs, sends the mail within a minute. Writers never depend on the job runner directly.
 */
@Injectable()
export class MailQueue {
  private kickFn: (() => Promise<unknown>) | null = null;

  attach(kick: () => Promise<unknown>): void {
    this.kickFn = kick;
  }

  detach(): void {
    this.kickFn = null;
  }

  /** Never throws: the scheduled run is the guarantee, this only makes it sooner. */
  kick(): void {
    void this.kickFn?.().catch(() => undefined);
  }
}
