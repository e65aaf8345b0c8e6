import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '#auth';
import { OrgUnit } from '../org/org-unit.entity.js';

@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'text' }) login!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text', nullable: true, select: false }) passwordHash!: string | null;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'uuid' }) orgUnitId!: string;
  @ManyToOne(() => OrgUnit, { nullable: false }) @JoinColumn({ name: 'org_unit_id' }) orgUnit!: OrgUnit;
  @Column({ type: 'text', nullable: true }) category!: string | null;
  @Column({ type: 'boolean', default: true }) active!: boolean;
  /** Set by an administrator's password reset: the one-time password only lets its holder choose a new one. */
  @Column({ type: 'boolean', default: false }) mustChangePassword!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
