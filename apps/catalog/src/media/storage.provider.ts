import type { Provider } from '@nestjs/common';
import { createStorage, type StorageEnvInput } from '#storage';

export const STORAGE = Symbol('STORAGE');

export const storageProvider = (env: StorageEnvInput): Provider => ({ provide: STORAGE, useValue: createStorage(env) });
