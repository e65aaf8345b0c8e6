import type { Provider, Type } from '@nestjs/common';
import { AttentionController } from './attention.controller.js';
import { ATTENTION_OPTIONS, attentionOptionsFrom } from './attention-options.js';
import { AttentionService } from './attention.service.js';

/** Attention check-ins during hidden or audio-only listening, registered by `CatalogModule`. */
export const attentionControllers: Type[] = [AttentionController];
export const attentionProviders: Provider[] = [
  AttentionService,
  // ATTENTION_CHECKIN_UNIT_SEC and ATTENTION_ANSWER_GRACE_SEC, checked when the catalog starts.
  { provide: ATTENTION_OPTIONS, useFactory: () => attentionOptionsFrom() },
];
