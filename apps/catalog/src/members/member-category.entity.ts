import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('member_categories')
export class MemberCategory {
  @PrimaryColumn({ type: 'text' }) code!: string;
  @Column({ type: 'text' }) nameZh!: string;
  @Column({ type: 'text' }) nameEn!: string;
  @Column({ type: 'boolean', default: false }) builtin!: boolean;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
