import { BadRequestException, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { DataSource } from 'typeorm';
import type { Principal } from '#auth';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The image type the bytes really are, by their signature; null when they are none of PNG, JPEG, WebP or GIF. */
export function imageSignature(data: Buffer): ImageType | null {
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (data.length >= 6 && /^GIF8[79]a$/.test(data.toString('latin1', 0, 6))) return 'image/gif';
  return null;
}

const tooLarge = (size: number) =>
  `The image is ${(size / 1024 / 1024).toFixed(1)} MB; images may be at most 2 MB. Make it smaller (a screenshot or a photo resized to about 1600 pixels wide is plenty) and upload it again.`;

/**
 * The request's body as bytes: what the raw body parser read, or the stream itself for types it does not
 * read (GIF); refused past `limit` bytes.
 */
export async function bodyBytes(req: Request, limit: number, tooLargeMessage: (size: number) => string = tooLarge): Promise<Buffer> {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (req.body !== undefined && !(typeof req.body === 'object' && Object.keys(req.body as object).length === 0)) {
    throw new BadRequestException(
      'Send the file itself as the body, with its Content-Type (for an image: image/png, image/jpeg, image/webp or image/gif).',
    );
  }
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw new PayloadTooLargeException(tooLargeMessage(size));
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Images shown with questions, kept in the database beside them (`exam_images`). */
@Injectable()
export class ExamImagesService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async store(principal: Principal, declared: string, data: Buffer): Promise<{ id: string }> {
    if (!(IMAGE_TYPES as readonly string[]).includes(declared)) {
      throw new BadRequestException(`Send a PNG, JPEG, WebP or GIF image with its Content-Type (${IMAGE_TYPES.join(', ')}).`);
    }
    if (data.length === 0) throw new BadRequestException('The image is empty. Choose the image file again.');
    if (data.length > MAX_IMAGE_BYTES) throw new PayloadTooLargeException(tooLarge(data.length));
    const type = imageSignature(data);
    if (!type) {
      throw new BadRequestException(
        'The file is not a PNG, JPEG, WebP or GIF image, whatever its name says. Save it as PNG or JPEG and upload it again.',
      );
    }
    const sha256 = createHash('sha256').update(data).digest('hex');
    // The same picture uploaded again (a question copied, an import repeated) is kept once.
    const [known]: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM exam_images WHERE sha256 = $1 AND content_type = $2 AND octet_length(bytes) = $3 LIMIT 1`,
      [sha256, type, data.length],
    );
    if (known) return { id: known.id };
    const [row]: Array<{ id: string }> = await this.db.query(
      `INSERT INTO exam_images (content_type, bytes, sha256, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [type, data, sha256, principal.userId],
    );
    return { id: row.id };
  }

  async read(id: string): Promise<{ contentType: string; bytes: Buffer; etag: string }> {
    const [row]: Array<{ content_type: string; bytes: Buffer; sha256: string }> = await this.db.query(
      `SELECT content_type, bytes, sha256 FROM exam_images WHERE id = $1`,
      [id],
    );
    if (!row) throw new NotFoundException('No such image.');
    return { contentType: row.content_type, bytes: row.bytes, etag: `"${row.sha256}"` };
  }

  /** The ETag alone, to answer a revalidation without reading the bytes. */
  async etag(id: string): Promise<string | null> {
    const [row]: Array<{ sha256: string }> = await this.db.query(`SELECT sha256 FROM exam_images WHERE id = $1`, [id]);
    return row ? `"${row.sha256}"` : null;
  }
}
