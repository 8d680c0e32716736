import { Clock } from '../../src/config/clock.js';

/** A clock a test moves forward instead of sleeping; it starts at the real time and stands still until told. */
export class TestClock extends Clock {
  private at = Date.now();

  now(): Date {
    return new Date(this.at);
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
