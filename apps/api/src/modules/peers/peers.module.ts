import { Module } from '@nestjs/common';

import { PeersController } from './peers.controller.js';
import { PeersService } from './peers.service.js';

/** The peer benchmark (issue 31, docs/PRODUCT.md §16.4). */
@Module({
  controllers: [PeersController],
  providers: [PeersService],
  exports: [PeersService],
})
export class PeersModule {}
