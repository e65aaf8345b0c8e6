import type { Provider, Type } from '@nestjs/common';

/** Collective viewing: the room's screen heartbeats and attendees' overlap credit, registered by `CatalogModule`. */
export const collectiveControllers: Type[] = [];
export const collectiveProviders: Provider[] = [];
