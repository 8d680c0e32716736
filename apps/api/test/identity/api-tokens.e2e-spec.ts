import { ApiTokenPageSchema, type CreateApiTokenResponse, CreateApiTokenResponseSchema } from '@hoh/contracts';

import { as, orgOf } from '../support/requests.js';
import { type SignedInUser, signUp } from '../support/session.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sha256Hex } from './identity-helpers.js';

describe('personal API tokens', () => {
  let t: TestApp;
  let alice: SignedInUser;
  let bob: SignedInUser;
  beforeAll(async () => {
    t = await startTestApp();
    alice = await signUp(t);
    bob = await signUp(t);
  });
  afterAll(async () => {
    await t.close();
  });

  const createToken = async (user: SignedInUser, body: Record<string, unknown>): Promise<CreateApiTokenResponse> =>
    CreateApiTokenResponseSchema.parse((await as(t, user).post('/api/v1/auth/tokens').send(body).expect(201)).body);
  const bearer = (token: string) => ({
    get: (url: string) => t.http().get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string) => t.http().post(url).set('Authorization', `Bearer ${token}`),
    patch: (url: string) => t.http().patch(url).set('Authorization', `Bearer ${token}`),
    delete: (url: string) => t.http().delete(url).set('Authorization', `Bearer ${token}`),
  });

  it('shows the secret once at creation and lists the token without it, with its last use', async () => {
    const created = await createToken(alice, { name: 'CI evidence upload', scope: 'read_write' });
    expect(created.token).toMatch(/^hoh_pat_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      name: 'CI evidence upload',
      scope: 'read_write',
      expiresAt: null,
      lastUsedAt: null,
      prefix: created.token.slice(0, 12),
    });

    const before = await as(t, alice).get('/api/v1/auth/tokens').expect(200);
    expect(JSON.stringify(before.body)).not.toContain(created.token);
    const listed = ApiTokenPageSchema.parse(before.body).items.find((i) => i.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: created.name,
      scope: 'read_write',
      prefix: created.prefix,
      createdAt: created.createdAt,
      expiresAt: null,
      lastUsedAt: null,
    });

    await bearer(created.token).get('/api/v1/auth/me').expect(200);
    const after = ApiTokenPageSchema.parse((await as(t, alice).get('/api/v1/auth/tokens').expect(200)).body).items.find(
      (i) => i.id === created.id,
    );
    expect(Date.parse(after!.lastUsedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores only the SHA-256 of the secret', async () => {
    const created = await createToken(alice, { name: 'hash check', scope: 'read' });
    const rows = await t.ownerQuery<Record<string, unknown>>('SELECT *, encode(token_hash, $2) AS hex FROM api_tokens WHERE id = $1', [
      created.id,
      'hex',
    ]);
    expect(rows[0]!['hex']).toBe(sha256Hex(created.token));
    const everything = JSON.stringify(await t.ownerQuery('SELECT * FROM api_tokens'));
    expect(everything).not.toContain(created.token.slice(12));
  });

  it('lists only your own tokens', async () => {
    const mine = await createToken(alice, { name: 'only mine', scope: 'read' });
    const bobs = ApiTokenPageSchema.parse((await as(t, bob).get('/api/v1/auth/tokens').expect(200)).body);
    expect(bobs.items.map((i) => i.id)).not.toContain(mine.id);
  });

  it('authenticates any route with a bearer token, and writes need no CSRF token', async () => {
    const { token } = await createToken(alice, { name: 'writer', scope: 'read_write' });
    const me = await bearer(token).get('/api/v1/auth/me').expect(200);
    expect(me.body.user.id).toBe(alice.me.user.id);
    const renamed = await bearer(token)
      .patch(`/api/v1/orgs/${orgOf(alice)}`)
      .send({ name: 'Renamed by script' })
      .expect(200);
    expect(renamed.body.name).toBe('Renamed by script');
    const log = await as(t, alice)
      .get(`/api/v1/orgs/${orgOf(alice)}/audit-log?limit=200`)
      .expect(200);
    expect(log.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'organisation.updated', actorId: alice.me.user.id })]),
    );
  });

  it('lets a read token read but refuses it any write with 403 FORBIDDEN', async () => {
    const { token } = await createToken(alice, { name: 'dashboard', scope: 'read' });
    await bearer(token)
      .get(`/api/v1/orgs/${orgOf(alice)}`)
      .expect(200);
    const refused = await bearer(token)
      .patch(`/api/v1/orgs/${orgOf(alice)}`)
      .send({ name: 'Should not happen' })
      .expect(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/read-only.*read_write/) });
    const tokenWrite = await bearer(token).post('/api/v1/auth/sign-out').expect(403);
    expect(tokenWrite.body.error.code).toBe('FORBIDDEN');
  });

  it('answers 404 before the read-only 403 for an organisation the token owner is not in', async () => {
    const { token } = await createToken(alice, { name: 'reader', scope: 'read' });
    const res = await bearer(token)
      .patch(`/api/v1/orgs/${orgOf(bob)}`)
      .send({ name: 'x' })
      .expect(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('follows the order of checks: no credentials 401 before CSRF 403 before validation 400', async () => {
    expect((await t.http().post('/api/v1/auth/tokens').send({}).expect(401)).body.error.code).toBe('UNAUTHENTICATED');
    expect((await t.http().post('/api/v1/auth/tokens').set('Cookie', alice.cookie).send({}).expect(403)).body.error.code).toBe(
      'CSRF_FAILED',
    );
    const invalid = await as(t, alice).post('/api/v1/auth/tokens').send({ name: '', scope: 'admin', extra: true }).expect(400);
    expect((invalid.body.error.details as { path: string }[]).map((d) => d.path)).toEqual(expect.arrayContaining(['name', 'scope']));
  });

  it('refuses an expiry in the past, and stops an expired token working (401)', async () => {
    const past = await as(t, alice)
      .post('/api/v1/auth/tokens')
      .send({ name: 'old', scope: 'read', expiresAt: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.error.details[0].message).toMatch(/future/);
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const created = await createToken(alice, { name: 'short-lived', scope: 'read', expiresAt: soon });
    expect(Date.parse(created.expiresAt!)).toBe(Date.parse(soon));
    await bearer(created.token).get('/api/v1/auth/me').expect(200);
    await t.ownerQuery(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    await bearer(created.token).get('/api/v1/auth/me').expect(401);
  });

  it('revokes a token so it answers 401 at once; revoking again, or someone else’s, is 404', async () => {
    const created = await createToken(alice, { name: 'to revoke', scope: 'read_write' });
    await bearer(created.token).get('/api/v1/auth/me').expect(200);
    await as(t, bob).delete(`/api/v1/auth/tokens/${created.id}`).expect(404);
    await as(t, alice).delete(`/api/v1/auth/tokens/${created.id}`).expect(204);
    const res = await bearer(created.token).get('/api/v1/auth/me').expect(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    await as(t, alice).delete(`/api/v1/auth/tokens/${created.id}`).expect(404);
    await as(t, alice).delete('/api/v1/auth/tokens/not-a-uuid').expect(404);
    const list = ApiTokenPageSchema.parse((await as(t, alice).get('/api/v1/auth/tokens').expect(200)).body);
    expect(list.items.map((i) => i.id)).not.toContain(created.id);
  });

  it('lets a token revoke itself but not mint new tokens', async () => {
    const created = await createToken(alice, { name: 'self-revoking', scope: 'read_write' });
    const mint = await bearer(created.token).post('/api/v1/auth/tokens').send({ name: 'child', scope: 'read_write' }).expect(403);
    expect(mint.body.error.message).toMatch(/Sign in/);
    await bearer(created.token).delete(`/api/v1/auth/tokens/${created.id}`).expect(204);
    await bearer(created.token).get('/api/v1/auth/me').expect(401);
  });

  it('treats a wrong bearer token as 401 even alongside a valid session cookie', async () => {
    for (const header of ['Bearer hoh_pat_not-a-real-token', 'Bearer ', 'Basic dXNlcjpwYXNz']) {
      const res = await t.http().get('/api/v1/auth/me').set('Cookie', alice.cookie).set('Authorization', header).expect(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  it('pages the list with limit and cursor', async () => {
    const carol = await signUp(t);
    for (const name of ['one', 'two', 'three']) await createToken(carol, { name, scope: 'read' });
    const first = ApiTokenPageSchema.parse((await as(t, carol).get('/api/v1/auth/tokens?limit=2').expect(200)).body);
    expect(first.items.map((i) => i.name)).toEqual(['one', 'two']);
    const second = ApiTokenPageSchema.parse(
      (await as(t, carol).get(`/api/v1/auth/tokens?limit=2&cursor=${first.nextCursor}`).expect(200)).body,
    );
    expect(second).toMatchObject({ items: [expect.objectContaining({ name: 'three' })], nextCursor: null });
  });
});
