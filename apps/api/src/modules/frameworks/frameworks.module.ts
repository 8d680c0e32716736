import { Module } from '@nestjs/common';

import { FrameworkChangesController } from './framework-changes.controller.js';
import { FrameworkChangesService } from './framework-changes.service.js';
import { FrameworksController } from './frameworks.controller.js';

// ScoringService comes from the global ScoringModule.
@Module({ controllers: [FrameworksController, FrameworkChangesController], providers: [FrameworkChangesService] })
export class FrameworksModule {}
