import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, Roles, type Principal } from '#auth';
import { ApiZodBody } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { MyStudyService } from './my-study.service.js';
import { CreatePlanSchema, MakeupSchema, type CreatePlanInput } from './plan.schemas.js';
import { StudyPlansService } from './study-plans.service.js';

@ApiTags('study')
@ApiBearerAuth()
@Controller('api')
export class StudyController {
  constructor(
    private readonly plans: StudyPlansService,
    private readonly myStudy: MyStudyService,
  ) {}

  /** Hours earned against each of the caller's plans, compulsory lectures still open, and where to continue. */
  @Get('me/study')
  mine(@CurrentPrincipal() principal: Principal) {
    return this.myStudy.overview(principal);
  }

  // Editors read the list too: an exam may require a share of a plan's compulsory lectures.
  @Roles('admin', 'inspector', 'editor')
  @Get('study-plans')
  list(@CurrentPrincipal() principal: Principal) {
    return this.plans.list(principal);
  }

  @Roles('admin')
  @Post('study-plans')
  @ApiZodBody(CreatePlanSchema)
  create(@CurrentPrincipal() principal: Principal, @Body({ schema: CreatePlanSchema }) body: CreatePlanInput) {
    return this.plans.create(principal, body);
  }

  @Roles('admin', 'inspector')
  @Get('study-plans/:id')
  view(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.plans.view(principal, id);
  }

  @Roles('admin')
  @Post('study-plans/:id/makeup')
  @HttpCode(200)
  @ApiZodBody(MakeupSchema)
  makeup(
    @CurrentPrincipal() principal: Principal,
    @Param('id', { schema: UuidParam }) id: string,
    @Body({ schema: MakeupSchema }) body: z.infer<typeof MakeupSchema>,
  ) {
    return this.plans.openMakeup(principal, id, body.until);
  }
}
