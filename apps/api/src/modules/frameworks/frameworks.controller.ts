import { Controller, Get, Param } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';

import { FrameworkListResponseSchema, type FrameworkListResponse, FrameworkResponseSchema } from '@hoh/contracts';
import { CURRENT_FRAMEWORK, type Framework, getFramework, listFrameworks } from '@hoh/question-bank';

import { ApiErrors } from '../../common/api-errors.decorator.js';
import { notFound } from '../../common/app-error.js';
import { Authenticated } from '../../common/auth/access.decorators.js';
import { ZodOk } from '../../common/zod-response.decorator.js';

class FrameworkListDto extends createZodDto(FrameworkListResponseSchema) {}
class FrameworkDto extends createZodDto(FrameworkResponseSchema) {}

/** The question bank, read-only: published versions never change, so any member may read them. */
@ApiTags('question bank')
@Controller('v1/frameworks')
export class FrameworksController {
  @Get()
  @Authenticated()
  @ZodOk({ description: 'Published framework versions', type: FrameworkListDto })
  @ApiErrors(401)
  list(): FrameworkListResponse {
    return {
      items: listFrameworks().map((f) => ({ ...f, current: f.id === CURRENT_FRAMEWORK.id && f.version === CURRENT_FRAMEWORK.version })),
    };
  }

  @Get(':frameworkId/versions/:version')
  @Authenticated()
  @ZodOk({ description: 'One framework version: domains and every question with scale, references, guidance', type: FrameworkDto })
  @ApiErrors(401, 404)
  get(@Param('frameworkId') frameworkId: string, @Param('version') version: string): Framework {
    const framework = getFramework(frameworkId, version);
    if (!framework) throw notFound('framework version');
    return framework;
  }
}
