import { ReauthProofSchema } from './assessments.js';
import {
  hasSecondFactor,
  policyCovers,
  RecoveryCodeSchema,
  SecondFactorProofSchema,
  SecondFactorSignInRequestSchema,
  SignInResponseSchema,
  TotpCodeSchema,
} from './auth-second-factor.js';

const CHALLENGE = `hoh_chl_${'A'.repeat(43)}`;

describe('two-factor contracts (docs/PRODUCT.md §2.7)', () => {
  it('reads a TOTP code as six digits, forgiving the spaces and dashes people type between groups', () => {
    expect(TotpCodeSchema.parse(' 123 456 ')).toBe('123456');
    expect(TotpCodeSchema.parse('123-456')).toBe('123456');
    for (const bad of ['12345', '1234567', 'abcdef', '', 123456]) expect(TotpCodeSchema.safeParse(bad).success).toBe(false);
  });

  it('reads a recovery code case-, space- and dash-insensitively, as the 20 base32 characters it hashes', () => {
    expect(RecoveryCodeSchema.parse('ABCDE-fghij KLMNO-pqrst')).toBe('abcdefghijklmnopqrst');
    for (const bad of ['abcde-fghij-klmno', 'abcde-fghij-klmno-pqrs1', 'x'.repeat(41)]) expect(RecoveryCodeSchema.safeParse(bad).success).toBe(false);
  });

  it('takes exactly one second factor with a challenge, never none or two', () => {
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: CHALLENGE, totp: '123456' }).success).toBe(true);
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: CHALLENGE, recoveryCode: 'abcde-fghij-klmno-pqrst' }).success).toBe(true);
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: CHALLENGE }).success).toBe(false);
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: CHALLENGE, totp: '123456', recoveryCode: 'abcde-fghij-klmno-pqrst' }).success).toBe(false);
    expect(SecondFactorSignInRequestSchema.safeParse({ totp: '123456' }).success).toBe(false);
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: 'has spaces in it', totp: '123456' }).success).toBe(false);
    expect(SecondFactorSignInRequestSchema.safeParse({ challenge: CHALLENGE, totp: '123456', extra: 1 }).success).toBe(false);
    expect(SecondFactorProofSchema.safeParse({}).success).toBe(false);
    expect(SecondFactorProofSchema.safeParse({ totp: '123456' }).success).toBe(true);
  });

  it('answers sign-in as signed in or as a challenge, the two told apart by secondFactorRequired', () => {
    const challenge = SignInResponseSchema.parse({ secondFactorRequired: true, challenge: CHALLENGE, methods: ['totp', 'recovery-code'], expiresAt: '2026-12-08T03:05:00.000Z' });
    expect('secondFactorRequired' in challenge).toBe(true);
  });

  it("covers members by the owner's policy: signers are those who may sign off", () => {
    expect(policyCovers('off', 'owner', true)).toBe(false);
    expect(policyCovers('signers', 'owner', true)).toBe(true);
    expect(policyCovers('signers', 'assessor', true)).toBe(true);
    expect(policyCovers('signers', 'owner', false)).toBe(false);
    expect(policyCovers('signers', 'contributor', false)).toBe(false);
    expect(policyCovers('everyone', 'auditor', false)).toBe(true);
  });

  it('counts totp, recovery-code, passkey and sso-mfa as second factors, not password or sso', () => {
    expect(hasSecondFactor(['password'])).toBe(false);
    expect(hasSecondFactor(['sso'])).toBe(false);
    for (const m of ['totp', 'recovery-code', 'passkey'] as const) expect(hasSecondFactor(['password', m])).toBe(true);
    // An organisation's provider vouches only for that organisation.
    expect(hasSecondFactor(['sso', 'sso-mfa'], true)).toBe(true);
    expect(hasSecondFactor(['sso', 'sso-mfa'])).toBe(false);
  });

  it('accepts sign-off proofs {password}, {password, totp} and {passkey}, one kind at a time', () => {
    expect(ReauthProofSchema.safeParse({ password: 'x' }).success).toBe(true);
    expect(ReauthProofSchema.parse({ password: 'x', totp: '123 456' })).toEqual({ password: 'x', totp: '123456' });
    expect(ReauthProofSchema.safeParse({ password: 'x', totp: 'abc' }).success).toBe(false);
    expect(ReauthProofSchema.safeParse({ totp: '123456' }).success).toBe(false);
    expect(ReauthProofSchema.safeParse({ password: 'x', webauthn: {} }).success).toBe(false);
  });
});
