import type { Provider, Type } from '@nestjs/common';
import { GroupSessionsController } from './group-sessions.controller.js';
import { GroupSessionsClock, groupSessionOptionsProvider } from './group-sessions-options.js';
import { GroupSessionsService } from './group-sessions.service.js';
import { CheckinThrottle } from './group-sessions-throttle.js';

/** Group study sessions, attendance and check-in codes, registered by `CatalogModule`. */
export const groupSessionsControllers: Type[] = [GroupSessionsController];
export const groupSessionsProviders: Provider[] = [GroupSessionsService, GroupSessionsClock, CheckinThrottle, groupSessionOptionsProvider];
