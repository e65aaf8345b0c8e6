import type { Provider, Type } from '@nestjs/common';
import { MaterialReadingController } from './reading.controller.js';
import { MaterialReadingService } from './reading.service.js';

/** Time spent reading materials, and its credit where a plan counts it, registered by `CatalogModule`. */
export const materialReadingControllers: Type[] = [MaterialReadingController];
export const materialReadingProviders: Provider[] = [MaterialReadingService];
