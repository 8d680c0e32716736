import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { MailModule } from '../mail/mail.module.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';

@Module({ imports: [AuthModule, MailModule], controllers: [MembersController, InvitationsController], providers: [MembersService, InvitationsService], exports: [MembersService] })
export class MembersModule {}
