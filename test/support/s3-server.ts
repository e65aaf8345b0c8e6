import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Storage } from '#storage';
import { addMultipartOperations, type S3rverApp } from './s3rver-multipart.js';

/** The part of s3rver (CommonJS, no type definitions) the tests use. */
interface S3rverInstance extends S3rverApp {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverInstance;

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  region: string;
  /** s3rver's built-in account. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** An S3Storage on a new, empty bucket of this server, named `<prefix>-<n>`. */
  storageOnNewBucket(prefix: string): Promise<S3Storage>;
  close(): Promise<void>;
}

const require = createRequire(import.meta.url);
type CipherFactory = (algorithm: string, key: unknown, iv: unknown, options?: unknown) => unknown;
const crypto = require('node:crypto') as { createCipheriv: CipherFactory; createDecipheriv: CipherFactory };
let running = 0;
let restoreCrypto = () => {};

/**
 * s3rver 3.7 encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 no longer offers
 * (jamhall/s3rver#818): every truncated listing fails with a 500. While a test server runs, "des"
 * is an identity cipher (tokens only need to survive the round trip); other algorithms are untouched.
 */
function allowS3rverTokens(): void {
  if (running++ > 0) return;
  const { createCipheriv, createDecipheriv } = crypto;
  const identity = {
    update: (data: string | Buffer, encoding?: BufferEncoding) => Buffer.from(data as string, encoding),
    final: () => Buffer.alloc(0),
  };
  const wrap =
    (original: CipherFactory): CipherFactory =>
    (algorithm, ...rest) =>
      algorithm === 'des' ? identity : original(algorithm, ...rest);
  crypto.createCipheriv = wrap(createCipheriv);
  crypto.createDecipheriv = wrap(createDecipheriv);
  restoreCrypto = () => {
    crypto.createCipheriv = createCipheriv;
    crypto.createDecipheriv = createDecipheriv;
  };
}

/** An in-process S3-compatible server (s3rver) on a free loopback port, its objects in a temporary folder. */
export async function startS3Server(bucket = 'lectern'): Promise<S3TestServer> {
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = await mkdtemp(join(tmpdir(), 'lectern-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  addMultipartOperations(server);
  const { port } = await server.run();
  allowS3rverTokens();
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  let buckets = 0;
  return {
    endpoint,
    bucket,
    region: 'us-east-1',
    credentials,
    storageOnNewBucket: async (prefix) => {
      const storage = new S3Storage({ bucket: `${prefix}-${++buckets}`, endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
      await storage.client.send(new CreateBucketCommand({ Bucket: storage.bucket }));
      return storage;
    },
    close: async () => {
      await server.close();
      if (--running === 0) restoreCrypto();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
