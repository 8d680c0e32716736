import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';

import { type BlobStore, BlobStoreError, checkKey, type S3StoreOptions } from './blob-store.js';

/** Objects in an S3-compatible bucket through the AWS SDK (AWS S3, MinIO, s3rver in the tests). */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;

  constructor(readonly options: S3StoreOptions) {
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      // Self-hosted stores (MinIO, s3rver) do not all speak the SDK's newer default CRC checksums;
      // integrity is ours anyway (GCM tag and SHA-256 on every read).
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Nest calls this at shutdown: the SDK keeps sockets open for reuse, which would hold the process. */
  onModuleDestroy(): void {
    this.client.destroy();
  }

  async put(key: string, body: Buffer): Promise<void> {
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key), Body: body, ContentLength: body.length, ContentType: 'application/octet-stream' }));
    } catch (error) {
      throw s3Error('store', key, error);
    }
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: checkKey(key) }));
      if (!out.Body) return null;
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) return null;
      throw s3Error('read', key, error);
    }
  }
}

function s3Error(what: string, key: string, error: unknown): BlobStoreError {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new BlobStoreError(`Could not ${what} object ${key} in the S3 store (${message}). Check S3_ENDPOINT, S3_BUCKET and the credentials.`);
}

