import { randomBytes } from 'node:crypto';

import type { SignUpRequest } from '@hoh/contracts';

/** Builds sign-up payloads; every build is a new person and organisation unless told otherwise. */
export class SignUpFactory {
  private constructor(private readonly fields: SignUpRequest) {}

  static new(): SignUpFactory {
    const tag = randomBytes(4).toString('hex');
    return new SignUpFactory({
      name: `Casey Tester ${tag}`,
      email: `casey.${tag}@example.org`,
      password: `correct horse battery ${tag}`,
      organisationName: `Acme Hosting ${tag}`,
    });
  }

  with(patch: Partial<SignUpRequest>): SignUpFactory {
    return new SignUpFactory({ ...this.fields, ...patch });
  }

  build(): SignUpRequest {
    return { ...this.fields };
  }
}
