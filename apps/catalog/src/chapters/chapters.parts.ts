import type { Provider, Type } from '@nestjs/common';
import { ChaptersController } from './chapters.controller.js';
import { ChaptersRepository } from './chapters.repository.js';
import { ChaptersService } from './chapters.service.js';

/** Chapters of a lecture, registered by `CatalogModule`. */
export const chaptersControllers: Type[] = [ChaptersController];
export const chaptersProviders: Provider[] = [ChaptersRepository, ChaptersService];
