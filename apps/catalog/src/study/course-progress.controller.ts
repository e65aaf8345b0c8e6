import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, type Principal } from '#auth';
import { ApiZodQuery } from '#platform';
import { UuidParam } from '../org/org.schemas.js';
import { CourseProgressService } from './course-progress.service.js';

/** The course list asks for one page of courses at a time (at most 100). */
export const CourseSharesQuerySchema = z.object({
  courseIds: z
    .string()
    .max(100 * 37, 'name at most 100 courses')
    .transform((text) => text.split(',').filter(Boolean))
    .pipe(z.array(z.uuid('must be course ids, separated by commas')).max(100, 'name at most 100 courses')),
});

/** The caller's progress through a course: each lecture's share watched, finished ticks, and where to continue. */
@ApiTags('study')
@ApiBearerAuth()
@Controller('api')
export class CourseProgressController {
  constructor(private readonly progress: CourseProgressService) {}

  /** Each lecture's share watched by the caller, which are finished, and the lecture to continue at its position. */
  @Get('courses/:id/progress')
  course(@CurrentPrincipal() principal: Principal, @Param('id', { schema: UuidParam }) id: string) {
    return this.progress.ofCourse(principal, id);
  }

  /** The caller's share of each of the listed courses they have started, for the course list. */
  @Get('me/course-progress')
  @ApiZodQuery(CourseSharesQuerySchema)
  shares(
    @CurrentPrincipal() principal: Principal,
    @Query({ schema: CourseSharesQuerySchema }) query: z.infer<typeof CourseSharesQuerySchema>,
  ) {
    return this.progress.shares(principal, query.courseIds);
  }
}
