import type { Provider, Type } from '@nestjs/common';

/** Attention check-ins during hidden or audio-only listening, registered by `CatalogModule`. */
export const attentionControllers: Type[] = [];
export const attentionProviders: Provider[] = [];
