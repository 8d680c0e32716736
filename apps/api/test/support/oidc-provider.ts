import { createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import Provider from 'oidc-provider';

/** What the next person to log in at the provider is, and what the provider says about them. */
export interface TestAccount {
  email: string;
  emailVerified: boolean;
  name?: string;
  /** RFC 8176 methods the provider reports (`amr`); none when left out. */
  amr?: string[];
}

/** Claims to change in the ID token after the provider signed it, re-signed with the provider's own key. */
export type IdTokenTamper = (claims: Record<string, unknown>) => Record<string, unknown>;

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Who logs in at the next interaction (the login form is skipped: the test decides). */
  nextLogin: TestAccount | null;
  /** When set, the token endpoint's ID token is rewritten before it leaves (an attacker between us and the provider). */
  tamper: IdTokenTamper | null;
  /**
   * Follows the authorisation URL through the provider's redirects and interaction, like a browser,
   * and answers the URL it sends the browser back to (our callback, with code, state and iss).
   */
  authorize(authorizationUrl: string): Promise<URL>;
  close(): Promise<void>;
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function resign(jwt: string, key: KeyObject, change: IdTokenTamper): string {
  const [header, payload] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const body = `${header!}.${b64url(change(claims))}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

/**
 * A real OpenID provider (oidc-provider 9) on localhost, with one confidential client whose redirect
 * URI is the product's callback. Its interaction is finished through the library's public API
 * (interactionDetails / interactionFinished with a saved Grant), as a custom login page would.
 */
export async function startTestOpenIdProvider(options: { redirectUri: string; clientId?: string; clientSecret?: string }): Promise<TestOpenIdProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };
  const clientId = options.clientId ?? 'hand-on-heart';
  const clientSecret = options.clientSecret ?? 'a-client-secret-of-the-test-provider';

  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://localhost:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();

  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [options.redirectUri], response_types: ['code'], grant_types: ['authorization_code'] }],
    jwks: { keys: [jwk] },
    // amr under openid: the login's authentication methods go into every ID token.
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 600, IdToken: 600, Interaction: 600, Session: 600 },
    // Scope claims in the ID token too (the product reads the ID token, as most providers fill it).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['test-provider-cookie-key'] },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified, name: account.name }) };
    },
  });

  const state: Pick<TestOpenIdProvider, 'nextLogin' | 'tamper'> = { nextLogin: null, tamper: null };
  const signingKey = createPrivateKey({ key: jwk, format: 'jwk' });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (state.tamper && ctx.oidc?.route === 'token' && body?.id_token) ctx.body = { ...body, id_token: resign(body.id_token, signingKey, state.tamper) };
  });

  const interaction = async (req: IncomingMessage, res: ServerResponse) => {
    const details = await provider.interactionDetails(req, res);
    const login = state.nextLogin;
    if (!login) throw new Error('The test provider was asked to log someone in, but the test set no nextLogin');
    const accountId = `sub-${login.email}`;
    accounts.set(accountId, login);
    const grant = new provider.Grant({ accountId, clientId: details.params['client_id'] as string });
    grant.addOIDCScope(details.params['scope'] as string);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId, ...(login.amr ? { amr: login.amr } : {}) }, consent: { grantId } }, { mergeWithLastSubmission: false });
  };
  const callback = provider.callback();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    void callback(req, res);
  });

  const authorize = async (authorizationUrl: string): Promise<URL> => {
    const jar = new Map<string, string>();
    let url = new URL(authorizationUrl);
    for (let hop = 0; hop < 10; hop += 1) {
      const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const cookie of res.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const at = pair!.indexOf('=');
        jar.set(pair!.slice(0, at), pair!.slice(at + 1));
      }
      const location = res.headers.get('location');
      if (!location) throw new Error(`The provider stopped at ${url.pathname} with ${res.status}: ${await res.text()}`);
      const next = new URL(location, url);
      if (next.href.startsWith(options.redirectUri)) return next;
      url = next;
    }
    throw new Error('The provider redirected more than 10 times');
  };

  return Object.assign(state, {
    issuer,
    clientId,
    clientSecret,
    authorize,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser keeps connections alive; they would hold the process open after the suite.
        server.closeAllConnections();
      }),
  });
}
