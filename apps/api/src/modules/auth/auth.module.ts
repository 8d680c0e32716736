import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';

import { MailModule } from '../mail/mail.module.js';
import { AccessGuard } from './access.guard.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { ApiTokenService } from './api-token.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { CredentialsService } from './credentials.service.js';
import { SessionEntity } from './entities/session.entity.js';
import { UserEntity } from './entities/user.entity.js';
import { PasskeyService } from './passkeys/passkey.service.js';
import { PasskeysController } from './passkeys/passkeys.controller.js';
import { PasswordHasher } from './password-hasher.js';
import { AccountAudit } from './second-factor/account-audit.js';
import { RecoveryCodesService } from './second-factor/recovery-codes.service.js';
import { SecondFactorVerifiers } from './second-factor/second-factor-verifiers.js';
import { SecondFactorController } from './second-factor/second-factor.controller.js';
import { SecondFactorService } from './second-factor/second-factor.service.js';
import { SignInChallengeService } from './second-factor/sign-in-challenge.service.js';
import { TotpService } from './second-factor/totp.service.js';
import { SessionService } from './session.service.js';
import { ThrottleService } from './throttle.service.js';
import { TokensController } from './tokens.controller.js';
import { EmailVerificationService } from './verification/email-verification.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, SessionEntity]), MailModule],
  controllers: [AuthController, TokensController, AccountController, PasskeysController, SecondFactorController],
  providers: [
    AuthService,
    AccountService,
    SessionService,
    PasswordHasher,
    ThrottleService,
    ApiTokenService,
    CredentialsService,
    EmailVerificationService,
    PasskeyService,
    TotpService,
    RecoveryCodesService,
    SecondFactorVerifiers,
    SignInChallengeService,
    SecondFactorService,
    AccountAudit,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, SessionService, PasswordHasher, ThrottleService, CredentialsService, EmailVerificationService, PasskeyService, SecondFactorVerifiers, AccountAudit, TotpService],
})
export class AuthModule {}
