import { createHash, randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, type Repository } from 'typeorm';

import { AppConfig } from '../../config/app-config.js';
import { SessionEntity } from './entities/session.entity.js';

export interface ActiveSession {
  userId: string;
  tokenHash: Buffer;
  csrfToken: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest();
// Sliding expiry is written at most once a minute, so reads do not become writes.
const TOUCH_AFTER_MS = 60_000;

/** Opaque server-side sessions: the cookie holds 256 random bits, the table holds their hash. */
@Injectable()
export class SessionService {
  constructor(
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.env.SESSION_TTL_HOURS * 3600;
  }

  async create(userId: string): Promise<{ token: string; session: ActiveSession }> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = this.sessions.create({
      tokenHash: hashToken(token),
      userId,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    await this.sessions.insert(session);
    return { token, session: { userId, tokenHash: session.tokenHash, csrfToken: session.csrfToken } };
  }

  async lookup(token: string): Promise<ActiveSession | null> {
    if (token.length < 20 || token.length > 100) return null;
    const tokenHash = hashToken(token);
    const row = await this.sessions.findOne({ where: { tokenHash } });
    const now = Date.now();
    if (!row || row.expiresAt.getTime() <= now) return null;
    if (now - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await this.sessions.update({ tokenHash }, { lastSeenAt: new Date(now), expiresAt: new Date(now + this.ttlSeconds * 1000) });
    }
    return { userId: row.userId, tokenHash, csrfToken: row.csrfToken };
  }

  async revoke(tokenHash: Buffer): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  async purgeExpired(): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(new Date()) });
  }
}
