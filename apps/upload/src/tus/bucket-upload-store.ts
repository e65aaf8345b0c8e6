import { S3Store } from '@tus/s3-store';
import { ERRORS } from '@tus/server';
import { BUCKET_UPLOAD_PREFIX } from './upload-backend.js';

/**
 * @tus/s3-store with its objects under `uploads/` in the media bucket, so a lifecycle rule or a listing
 * can tell them apart from published media. The store names objects by upload id; a client middleware
 * adds the prefix to every key it sends and takes it off the keys S3 lists back.
 */
export class BucketUploadStore extends S3Store {
  constructor(options: ConstructorParameters<typeof S3Store>[0]) {
    super({
      ...options,
      // As S3Storage: checksums only where S3 demands them. Otherwise the SDK sends aws-chunked bodies with
      // trailing checksums, which S3-compatible servers may store verbatim (a 3-byte tail became 44 bytes).
      s3ClientConfig: {
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
        ...options.s3ClientConfig,
      },
    });
    const prefixed = (key: unknown) => (typeof key === 'string' ? BUCKET_UPLOAD_PREFIX + key : key);
    const unprefixed = (key: unknown) =>
      typeof key === 'string' && key.startsWith(BUCKET_UPLOAD_PREFIX) ? key.slice(BUCKET_UPLOAD_PREFIX.length) : key;
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; Prefix?: string; Delete?: { Objects?: { Key?: string }[] } };
        input.Key = prefixed(input.Key) as string | undefined;
        for (const object of input.Delete?.Objects ?? []) object.Key = prefixed(object.Key) as string;
        const listing = context.commandName === 'ListMultipartUploadsCommand';
        if (listing) input.Prefix = BUCKET_UPLOAD_PREFIX;
        const result = await next(args);
        if (listing) {
          const output = result.output as { Uploads?: { Key?: string }[]; NextKeyMarker?: string };
          for (const upload of output.Uploads ?? []) upload.Key = unprefixed(upload.Key) as string;
          output.NextKeyMarker = unprefixed(output.NextKeyMarker) as string | undefined;
        }
        return result;
      },
      { step: 'initialize', name: 'lecternUploadPrefix' },
    );
  }

  /** Closes the S3 client's connections. */
  destroy(): void {
    this.client.destroy();
  }

  /**
   * S3Store.remove aborts the multipart upload first and gives up when there is none, which is the case once
   * the upload finished: the completed object and its .info would stay. Here they go in every case.
   */
  override async remove(id: string): Promise<void> {
    try {
      await super.remove(id);
    } catch (error) {
      if (error !== ERRORS.FILE_NOT_FOUND) throw error;
    }
    await this.client.deleteObjects({
      Bucket: this.bucket,
      Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true },
    });
  }
}
