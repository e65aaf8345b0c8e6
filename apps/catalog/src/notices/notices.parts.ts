import type { Provider, Type } from '@nestjs/common';
import { NoticesController } from './notices.controller.js';
import { NoticesService } from './notices.service.js';

/** Members' in-app notices, registered by `CatalogModule`; other parts inject `NoticesService` to add them. */
export const noticesControllers: Type[] = [NoticesController];
export const noticesProviders: Provider[] = [NoticesService];
