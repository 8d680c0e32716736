import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

import type { PasskeyAssertion, PasskeyRegistrationResponse } from '@hoh/contracts';

/**
 * A WebAuthn authenticator in software for API tests (the browser spec drives Chromium's virtual
 * authenticator instead): ES256 keys, "none" attestation, and every field a test may want to get
 * wrong on purpose (origin, rpID, user verification, the counter, the challenge). It signs what a
 * real authenticator signs, so the server's verifier cannot tell it from one.
 */

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor> | { [k: string]: Cbor };

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

/** Minimal CBOR (RFC 8949): the integers, byte and text strings, arrays and maps attestation uses. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();
const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

export interface CeremonyOptions {
  /** Where the browser says the page was (clientDataJSON.origin). */
  origin?: string;
  /** The relying party the authenticator scopes the key to (authenticatorData's rpIdHash). */
  rpID?: string;
  /** Whether the person was verified (PIN, biometrics): the UV flag. */
  userVerified?: boolean;
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  private signCount = 0;

  constructor(
    private readonly origin: string,
    private readonly rpID: string,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicJwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private flags(o: CeremonyOptions, extra = 0): number {
    return UP | (o.userVerified === false ? 0 : UV) | extra;
  }

  /** What navigator.credentials.create answers to `options` (only its challenge is read). */
  register(options: { challenge: string }, o: CeremonyOptions = {}): PasskeyRegistrationResponse {
    const clientDataJSON = this.clientData('webauthn.create', options.challenge, o.origin ?? this.origin);
    const coseKey = new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.publicJwk.x, 'base64url')],
      [-3, Buffer.from(this.publicJwk.y, 'base64url')],
    ]);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.signCount);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([sha256(o.rpID ?? this.rpID), Buffer.from([this.flags(o, AT)]), count, Buffer.alloc(16), idLength, this.credentialId, cbor(coseKey)]);
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData });
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
    };
  }

  /** What navigator.credentials.get answers to `options`; each assertion moves the counter on. */
  assert(options: { challenge: string }, o: CeremonyOptions & { counter?: number } = {}): PasskeyAssertion {
    this.signCount += 1;
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, o.origin ?? this.origin);
    const count = Buffer.alloc(4);
    count.writeUInt32BE(o.counter ?? this.signCount);
    const authenticatorData = Buffer.concat([sha256(o.rpID ?? this.rpID), Buffer.from([this.flags(o)]), count]);
    const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientDataJSON)]), this.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }
}
