import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AssetOutputs, MediaKind } from '#contracts';

export const COURSE_STATUSES = ['draft', 'published', 'archived'] as const;
export type CourseStatus = (typeof COURSE_STATUSES)[number];

@Entity('course_categories')
export class CourseCategory {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) nameZh!: string;
  @Column({ type: 'text' }) nameEn!: string;
  @Column({ type: 'boolean' }) builtin!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}

@Entity('courses')
export class Course {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'uuid' }) categoryId!: string;
  @ManyToOne(() => CourseCategory, { nullable: false }) @JoinColumn({ name: 'category_id' }) category!: CourseCategory;
  @Column({ type: 'boolean' }) compulsory!: boolean;
  @Column({ type: 'text' }) status!: CourseStatus;
  @Column({ type: 'text', nullable: true }) coverKey!: string | null;
  @Column({ type: 'uuid' }) createdBy!: string;
  /** Editors of this unit's subtree edit the course; who may watch it is `course_visibility`. */
  @Column({ type: 'uuid' }) ownerUnitId!: string;
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string) => Number(v) } }) playCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) publishedAt!: Date | null;
  /** Members may watch a lecture once its media is previewable (the part encoded so far), not only once it is ready. */
  @Column({ type: 'boolean', default: false }) publishWhenPreviewable!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('course_visibility')
export class CourseVisibility {
  @PrimaryColumn({ type: 'uuid' }) courseId!: string;
  @PrimaryColumn({ type: 'uuid' }) orgUnitId!: string;
}

@Entity('lectures')
export class Lecture {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) courseId!: string;
  @Column({ type: 'int' }) position!: number;
  @Column({ type: 'text' }) title!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'text' }) speaker!: string;
  @Column({ type: 'uuid', nullable: true }) assetId!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}

/** The catalog's own record of a media asset, built from media-events; the upload service's table is never read. */
@Entity('lecture_media')
export class LectureMedia {
  @PrimaryColumn({ type: 'uuid' }) assetId!: string;
  @Column({ type: 'text' }) status!: 'ready' | 'failed';
  @Column({ type: 'text', nullable: true }) kind!: MediaKind | null;
  @Column({ type: 'double precision', nullable: true }) durationSec!: number | null;
  @Column({ type: 'jsonb', nullable: true }) outputs!: AssetOutputs | null;
  @Column({ type: 'text', nullable: true }) failureCode!: string | null;
  @Column({ type: 'text', nullable: true }) failureReason!: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
