import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '#auth';
import type { CatalogEnv } from '#config';
import { PlatformModule } from '#platform';
import { AccountsController } from './accounts/accounts.controller.js';
import { AccountsService } from './accounts/accounts.service.js';
import { ActiveAccounts } from './accounts/active-accounts.js';
import { loginThrottleProviders } from './accounts/login-throttle.js';
import { User } from './accounts/user.entity.js';
import { MemberCategory } from './members/member-category.entity.js';
import { MembersController } from './members/members.controller.js';
import { MembersService } from './members/members.service.js';
import { OrgUnit } from './org/org-unit.entity.js';
import { OrgUnitsController } from './org/org-units.controller.js';
import { OrgUnitsService } from './org/org-units.service.js';
import { ScopeService } from './org/scope.service.js';
import { CatalogBrowseService } from './courses/catalog-browse.service.js';
import { Course, CourseCategory, CourseVisibility, Lecture, LectureMedia } from './courses/course.entities.js';
import { CoursesController } from './courses/courses.controller.js';
import { CoursesRepository } from './courses/courses.repository.js';
import { StudioController } from './courses/studio.controller.js';
import { StudioService } from './courses/studio.service.js';
import { MEDIA_EVENTS_OPTIONS, MediaEventsConsumer } from './media/media-events.consumer.js';
import { storageProvider } from './media/storage.provider.js';
import { HlsDeliveryController } from './playback/hls-delivery.controller.js';
import { PlaybackController } from './playback/playback.controller.js';
import { PLAYBACK_OPTIONS, PlaybackService, playbackOptions } from './playback/playback.service.js';
import { HlsAccessService } from './playback/hls-access.service.js';
import { HlsAuthController } from './playback/hls-auth.controller.js';
import { HeartbeatIngestService } from './study/heartbeat-ingest.service.js';
import { HeartbeatRepository } from './study/heartbeat.repository.js';
import { HeartbeatsController } from './study/heartbeats.controller.js';
import { HeartbeatEndpoint } from './study/heartbeat-endpoint.js';
import { MyStudyService } from './study/my-study.service.js';
import { StudyController } from './study/study.controller.js';
import { StudyPlansService } from './study/study-plans.service.js';
import { STUDY_OPTIONS, type StudyOptions } from './study/study-options.js';
import { ReportsController } from './reports/reports.controller.js';
import { ReportsService } from './reports/reports.service.js';
import { PositionsController } from './org/positions.controller.js';
import { PositionsService } from './org/positions.service.js';
import { TrainingClassesController } from './classes/training-classes.controller.js';
import { TrainingClassesService } from './classes/training-classes.service.js';
import { TransfersController } from './transfers/transfers.controller.js';
import { TransfersService } from './transfers/transfers.service.js';
import { MemberImportController } from './members/member-import.controller.js';
import { MemberImportService } from './members/member-import.service.js';
import { UnitStudyController } from './reports/unit-study.controller.js';
import { UnitStudyService } from './reports/unit-study.service.js';
import { CourseProgressController } from './study/course-progress.controller.js';
import { CourseProgressService } from './study/course-progress.service.js';
import { StudyRecordController } from './study-record/study-record.controller.js';
import { StudyRecordService } from './study-record/study-record.service.js';
import { bankControllers, bankProviders } from './exams/bank/bank.parts.js';
import { takingControllers, takingProviders } from './exams/taking/taking.parts.js';
import { reportsControllers, reportsProviders } from './exams/reports/reports.parts.js';
import { adminControllers, adminProviders } from './admin/admin.parts.js';
import { noticesControllers, noticesProviders } from './notices/notices.parts.js';
import { activityControllers, activityProviders } from './reports/activity.parts.js';
import { questionnairesControllers, questionnairesProviders } from './questionnaires/questionnaires.parts.js';
import { questionnaireResultsControllers, questionnaireResultsProviders } from './questionnaires/results/results.parts.js';
import { programRequestsControllers, programRequestsProviders } from './program-requests/program-requests.parts.js';
import { reflectionsControllers, reflectionsProviders } from './reflections/reflections.parts.js';
import { groupSessionsControllers, groupSessionsProviders } from './group-study/group-sessions.parts.js';
import { collectiveControllers, collectiveProviders } from './group-study/collective.parts.js';
import { attendanceReportsControllers, attendanceReportsProviders } from './group-study/attendance-reports.parts.js';
import { attentionControllers, attentionProviders } from './study/attention.parts.js';
import { materialsControllers, materialsProviders } from './materials/materials.parts.js';
import { materialReadingControllers, materialReadingProviders } from './materials/reading.parts.js';
import { captionsControllers, captionsProviders } from './captions/captions.parts.js';
import { chaptersControllers, chaptersProviders } from './chapters/chapters.parts.js';
import { previewControllers, previewProviders } from './media/preview.parts.js';

export const catalogEntities = [OrgUnit, User, MemberCategory, CourseCategory, Course, CourseVisibility, Lecture, LectureMedia];

@Module({})
export class CatalogModule {
  static forRoot(env: CatalogEnv): DynamicModule {
    return {
      module: CatalogModule,
      imports: [
        PlatformModule.forRoot({
          processName: 'catalog',
          databaseUrl: env.DATABASE_URL,
          redisUrl: env.REDIS_URL,
          entities: catalogEntities,
        }),
        TypeOrmModule.forFeature(catalogEntities),
        AuthModule.forRoot({
          secret: env.JWT_SECRET,
          previousSecret: env.JWT_SECRET_PREVIOUS,
          ttlSeconds: env.JWT_TTL_SECONDS,
          accountCheck: ActiveAccounts,
        }),
      ],
      controllers: [
        AccountsController,
        OrgUnitsController,
        MembersController,
        CoursesController,
        StudioController,
        PlaybackController,
        HlsDeliveryController,
        HlsAuthController,
        HeartbeatsController,
        StudyController,
        ReportsController,
        PositionsController,
        TrainingClassesController,
        TransfersController,
        MemberImportController,
        UnitStudyController,
        CourseProgressController,
        StudyRecordController,
        ...bankControllers,
        ...takingControllers,
        ...reportsControllers,
        ...adminControllers,
        ...noticesControllers,
        ...activityControllers,
        ...questionnairesControllers,
        ...questionnaireResultsControllers,
        ...programRequestsControllers,
        ...reflectionsControllers,
        ...groupSessionsControllers,
        ...collectiveControllers,
        ...attendanceReportsControllers,
        ...attentionControllers,
        ...materialsControllers,
        ...materialReadingControllers,
        ...captionsControllers,
        ...chaptersControllers,
        ...previewControllers,
      ],
      providers: [
        AccountsService,
        ...loginThrottleProviders(env),
        ScopeService,
        OrgUnitsService,
        MembersService,
        CoursesRepository,
        CatalogBrowseService,
        StudioService,
        PlaybackService,
        HlsAccessService,
        MediaEventsConsumer,
        HeartbeatRepository,
        HeartbeatIngestService,
        HeartbeatEndpoint,
        StudyPlansService,
        MyStudyService,
        ReportsService,
        PositionsService,
        TrainingClassesService,
        TransfersService,
        MemberImportService,
        UnitStudyService,
        CourseProgressService,
        StudyRecordService,
        ...bankProviders,
        ...takingProviders,
        ...reportsProviders,
        ...adminProviders(env),
        ...noticesProviders,
        ...activityProviders,
        ...questionnairesProviders,
        ...questionnaireResultsProviders,
        ...programRequestsProviders,
        ...reflectionsProviders,
        ...groupSessionsProviders,
        ...collectiveProviders,
        ...attendanceReportsProviders,
        ...attentionProviders,
        ...materialsProviders,
        ...materialReadingProviders,
        ...captionsProviders,
        ...chaptersProviders,
        ...previewProviders,
        {
          provide: STUDY_OPTIONS,
          useValue: {
            timeZone: env.STUDY_TIME_ZONE,
            databaseUrl: env.DATABASE_URL,
            ...(env.PUBLIC_ORIGIN ? { publicOrigin: env.PUBLIC_ORIGIN } : {}),
          } satisfies StudyOptions,
        },
        storageProvider(env),
        { provide: PLAYBACK_OPTIONS, useValue: playbackOptions(env.JWT_SECRET, env.JWT_SECRET_PREVIOUS, env.PLAYBACK_TOKEN_TTL_SECONDS) },
        { provide: MEDIA_EVENTS_OPTIONS, useValue: { redisUrl: env.REDIS_URL, prefix: env.QUEUE_PREFIX } },
      ],
    };
  }
}
