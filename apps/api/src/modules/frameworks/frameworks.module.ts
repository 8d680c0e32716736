import { Module } from '@nestjs/common';

import { FrameworksController } from './frameworks.controller.js';

@Module({ controllers: [FrameworksController] })
export class FrameworksModule {}
