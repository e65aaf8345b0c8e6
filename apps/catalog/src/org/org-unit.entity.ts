import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const ORG_UNIT_KINDS = ['committee', 'branch', 'group', 'unit'] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

@Entity('org_units')
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid', nullable: true }) parentId!: string | null;
  @Column({ type: 'text' }) slug!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) kind!: OrgUnitKind;
  @Column({ type: 'text' }) path!: string;
  @Column({ type: 'int' }) depth!: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt!: Date;
}
