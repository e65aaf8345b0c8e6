import type { Provider } from '@nestjs/common';
import { LocalStorage } from '#storage';

export const STORAGE = Symbol('STORAGE');

export const storageProvider = (storageDir: string): Provider => ({ provide: STORAGE, useValue: new LocalStorage(storageDir) });
