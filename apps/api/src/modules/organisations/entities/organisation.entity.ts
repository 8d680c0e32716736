import type { SecondFactorPolicy } from '@hoh/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

@Entity({ name: 'organisations' })
export class OrganisationEntity {
  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'require_empty_attestation_check', type: 'boolean', default: false })
  requireEmptyAttestationCheck!: boolean;

  /** docs/PRODUCT.md §2.7: off | signers | everyone. */
  @Column({ name: 'second_factor_policy', type: 'text', default: 'off' })
  secondFactorPolicy!: SecondFactorPolicy;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
