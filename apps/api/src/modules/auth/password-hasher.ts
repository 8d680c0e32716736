import argon2 from 'argon2';
import { Injectable } from '@nestjs/common';

// OWASP / ASVS 5 Appendix C minimum for argon2id: m = 19 MiB, t = 2, p = 1.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  // Verified against when the email is unknown, so both paths cost one argon2 verification.
  private readonly decoy: Promise<string> = argon2.hash('decoy password never used', OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, OPTIONS);
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    const target = hash ?? (await this.decoy);
    const ok = await argon2.verify(target, password).catch(() => false);
    return hash !== undefined && ok;
  }
}
