import * as oidc from 'openid-client';

import { AppError } from '../../common/app-error.js';

/** How long one request to a provider may take (discovery, token, keys): a sign-in waits on it. */
const PROVIDER_TIMEOUT_SECONDS = 5;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The discovered provider metadata kept with a configuration (openid-client's ServerMetadata, as JSON). */
export type ProviderMetadata = oidc.ServerMetadata;

export interface ClientSettings {
  metadata: ProviderMetadata;
  clientId: string;
  clientSecret: string;
  /** SSO_ALLOW_HTTP_LOOPBACK_ISSUERS: an http issuer on this machine may be used (tests, development). */
  allowHttpLoopback: boolean;
}

/**
 * Whether `issuer` may be contacted: https anywhere, http only on this machine and only when the
 * operator allowed it. Answers the problem in words for the owner, or null.
 */
export function issuerProblem(issuer: string, allowHttpLoopback: boolean): string | null {
  const url = new URL(issuer);
  if (url.search || url.hash) return 'An issuer URL carries no query or fragment: give the issuer exactly as the provider names it.';
  if (url.username || url.password) return 'An issuer URL carries no user name or password.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && allowHttpLoopback && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'The issuer must be an https:// address: identity providers serve their keys and tokens over TLS.';
}

const isHttp = (url: string) => url.startsWith('http://');

/**
 * Discovery when an owner saves (OpenID Connect Discovery 1.0 through openid-client, which also
 * checks the document's `issuer` equals the URL asked). Any failure is the owner's to fix: 400 with
 * what went wrong, never the provider's body.
 */
export async function discoverProvider(issuer: string, clientId: string, clientSecret: string, allowHttpLoopback: boolean): Promise<ProviderMetadata> {
  const problem = issuerProblem(issuer, allowHttpLoopback);
  if (problem) throw issuerError(problem);
  try {
    const config = await oidc.discovery(new URL(issuer), clientId, clientSecret, undefined, {
      execute: isHttp(issuer) ? [oidc.allowInsecureRequests] : [],
      timeout: PROVIDER_TIMEOUT_SECONDS,
    });
    const metadata = config.serverMetadata();
    if (!metadata.authorization_endpoint || !metadata.token_endpoint || !metadata.jwks_uri) {
      throw issuerError('The provider’s discovery document lacks an authorization, token or keys endpoint: it is not an OpenID provider this product can use.');
    }
    // Only plain JSON is kept (the helpers on the object are functions).
    return JSON.parse(JSON.stringify(metadata)) as ProviderMetadata;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw issuerError(
      `No OpenID provider answered at ${issuer}/.well-known/openid-configuration (${reason(error)}). Check the issuer URL your identity provider shows, and that this server can reach it.`,
    );
  }
}

function issuerError(message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { details: [{ path: 'issuer', message }] });
}

/** A short reason without the provider's body: a timeout, a refused connection, a wrong document. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return 'no answer';
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return `no answer within ${PROVIDER_TIMEOUT_SECONDS} s`;
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: unknown }).cause;
  const causeCode = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
  if (typeof causeCode === 'string') return causeCode;
  if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' || code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED') return 'the answer is not an OpenID discovery document for this issuer';
  return typeof code === 'string' ? code : 'the request failed';
}

/** A client for one sign-in, from the stored metadata: no discovery request. */
export function clientFor(settings: ClientSettings): oidc.Configuration {
  const supported = settings.metadata.token_endpoint_auth_methods_supported;
  // client_secret_basic is the OAuth default every provider supports unless it says otherwise.
  const auth = supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post') ? oidc.ClientSecretPost(settings.clientSecret) : oidc.ClientSecretBasic(settings.clientSecret);
  const config = new oidc.Configuration(settings.metadata, settings.clientId, settings.clientSecret, auth);
  config.timeout = PROVIDER_TIMEOUT_SECONDS;
  if (settings.allowHttpLoopback && isHttp(settings.metadata.issuer)) oidc.allowInsecureRequests(config);
  return config;
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The authorisation URL with a fresh state, nonce and PKCE (S256) verifier, which the caller keeps server-side. */
export async function authorizationRequest(config: oidc.Configuration, redirectUri: string, loginHint: string): Promise<AuthorizationRequest> {
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    login_hint: loginHint,
  });
  return { url: url.href, state, nonce, codeVerifier };
}

export interface VerifiedClaims {
  email: unknown;
  emailVerified: unknown;
  name: unknown;
  amr: unknown;
}

export type GrantFailure = 'invalid' | 'unavailable';

/**
 * The code exchanged and the ID token checked by openid-client's public API: state, the `iss`
 * response parameter (RFC 9207) when the provider sends it, PKCE, then the ID token's signature
 * (the provider's published keys), issuer, audience, expiry, issued-at and nonce. Answers the claims
 * this product reads, or why it refused.
 */
export async function exchangeCode(
  config: oidc.Configuration,
  callbackUrl: URL,
  checks: { state: string; nonce: string; codeVerifier: string },
): Promise<{ ok: true; claims: VerifiedClaims } | { ok: false; why: GrantFailure; detail: string }> {
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (!claims) return { ok: false, why: 'invalid', detail: 'no ID token' };
    return { ok: true, claims: { email: claims['email'], emailVerified: claims['email_verified'], name: claims['name'], amr: claims['amr'] } };
  } catch (error) {
    const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
    const network = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError' || (error instanceof TypeError && error.message === 'fetch failed'));
    return { ok: false, why: network ? 'unavailable' : 'invalid', detail: typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown' };
  }
}
