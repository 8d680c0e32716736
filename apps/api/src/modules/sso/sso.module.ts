import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { SsoSettingsController, SsoSignInController } from './sso.controller.js';
import { SsoSecretRotation } from './sso-secret-rotation.js';
import { SsoRepository } from './sso.repository.js';
import { SsoSettingsService } from './sso-settings.service.js';
import { SsoSignInService } from './sso-sign-in.service.js';

/** Single sign-on through OpenID Connect: per-organisation providers, sign-in by email domain (issue 27). */
@Module({
  imports: [AuthModule],
  controllers: [SsoSettingsController, SsoSignInController],
  providers: [SsoRepository, SsoSettingsService, SsoSignInService, SsoSecretRotation],
  exports: [SsoSecretRotation],
})
export class SsoModule {}
