import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@tus/server';
import { Readable } from 'node:stream';
import { startS3Server, type S3TestServer } from '../../../test/support/s3-server.js';
import { BucketUploadStore } from '../src/tus/bucket-upload-store.js';

let s3: S3TestServer;
let client: S3Client;
let buckets = 0;

beforeAll(async () => {
  s3 = await startS3Server();
  client = new S3Client({ endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true });
});
afterAll(async () => {
  client?.destroy();
  await s3?.close();
});

async function store(expirationPeriodInMilliseconds = 0): Promise<{ store: BucketUploadStore; bucket: string }> {
  const bucket = `uploads-${++buckets}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const made = new BucketUploadStore({
    s3ClientConfig: { bucket, endpoint: s3.endpoint, region: s3.region, credentials: s3.credentials, forcePathStyle: true },
    expirationPeriodInMilliseconds,
    useTags: false,
  });
  return { store: made, bucket };
}

const keys = async (bucket: string) =>
  ((await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((object) => object.Key).sort();
const multipartUploads = async (bucket: string) =>
  ((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).map((upload) => upload.Key);

describe('BucketUploadStore', () => {
  it('keeps every tus object under uploads/ and removes a finished upload whole', async () => {
    const { store: uploads, bucket } = await store();
    await uploads.create(new Upload({ id: 'u1', size: 5, offset: 0, metadata: {} }));
    expect(await uploads.write(Readable.from([Buffer.from('abc')]), 'u1', 0)).toBe(3);
    expect(await keys(bucket)).toEqual(['uploads/u1.info', 'uploads/u1.part']);
    expect(await multipartUploads(bucket)).toEqual(['uploads/u1']);
    expect((await uploads.getUpload('u1')).offset).toBe(3);

    expect(await uploads.write(Readable.from([Buffer.from('de')]), 'u1', 3)).toBe(5);
    expect(await keys(bucket)).toEqual(['uploads/u1', 'uploads/u1.info']);
    // S3Store alone would stop at the missing multipart upload and leave both objects.
    await uploads.remove('u1');
    expect(await keys(bucket)).toEqual([]);
    uploads.destroy();
  });

  it('aborts expired unfinished uploads and deletes their objects', async () => {
    const { store: uploads, bucket } = await store(1);
    await uploads.create(new Upload({ id: 'u2', size: 10, offset: 0, metadata: {} }));
    await uploads.write(Readable.from([Buffer.from('abcd')]), 'u2', 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await uploads.deleteExpired()).toBeGreaterThan(0);
    expect(await keys(bucket)).toEqual([]);
    expect(await multipartUploads(bucket)).toEqual([]);
    uploads.destroy();
  });
});
