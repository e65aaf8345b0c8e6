import type { Provider, Type } from '@nestjs/common';
import { GroupScreenStreamService } from '../playback/group-screen-stream.js';
import { CollectiveController } from './collective.controller.js';
import { CollectiveService } from './collective.service.js';

/** Collective viewing: the room's screen heartbeats and attendees' overlap credit, registered by `CatalogModule`. */
export const collectiveControllers: Type[] = [CollectiveController];
export const collectiveProviders: Provider[] = [CollectiveService, GroupScreenStreamService];
