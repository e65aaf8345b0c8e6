import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AssetOutputs, MediaKind } from '#contracts';
import type { MediaProbe } from '#media';

export const ASSET_STATUSES = ['uploading', 'uploaded', 'pending', 'queued', 'transcoding', 'ready', 'failed'] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

@Entity('media_assets')
export class MediaAsset {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) ownerId!: string;
  @Column({ type: 'text' }) uploadId!: string;
  @Column({ type: 'text' }) originalName!: string;
  @Column({ type: 'text', nullable: true }) declaredType!: string | null;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) sizeBytes!: number;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) receivedBytes!: number;
  @Column({ type: 'text', nullable: true }) sha256!: string | null;
  @Column({ type: 'text', nullable: true }) sourceKey!: string | null;
  @Column({ type: 'text' }) status!: AssetStatus;
  @Column({ type: 'text', nullable: true }) kind!: MediaKind | null;
  @Column({ type: 'jsonb', nullable: true }) probe!: MediaProbe | null;
  @Column({ type: 'double precision', nullable: true }) durationSec!: number | null;
  @Column({ type: 'real' }) progressPercent!: number;
  @Column({ type: 'integer', nullable: true }) etaSeconds!: number | null;
  @Column({ type: 'text', nullable: true }) failureCode!: string | null;
  @Column({ type: 'text', nullable: true }) failureReason!: string | null;
  @Column({ type: 'text', nullable: true }) attemptToken!: string | null;
  @Column({ type: 'jsonb', nullable: true }) outputs!: AssetOutputs | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) readyAt!: Date | null;
  /** When the current (or last crashed) attempt's growing set became playable; null once ready or failed. */
  @Column({ type: 'timestamptz', nullable: true }) previewableAt!: Date | null;
}
