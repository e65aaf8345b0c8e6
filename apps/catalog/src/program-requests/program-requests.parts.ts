import type { Provider, Type } from '@nestjs/common';
import { ProgramRequestsReportsService } from './program-requests-reports.service.js';
import { ProgramRequestsController, ProgramRequestsReportsController } from './program-requests.controller.js';
import { ProgramRequestsService } from './program-requests.service.js';

/** Programs on demand: requests, votes, answers and their reports, registered by `CatalogModule`. */
export const programRequestsControllers: Type[] = [ProgramRequestsController, ProgramRequestsReportsController];
export const programRequestsProviders: Provider[] = [ProgramRequestsService, ProgramRequestsReportsService];
