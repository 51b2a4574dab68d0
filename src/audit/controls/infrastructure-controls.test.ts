import { describe, expect, it } from 'vitest';
import { terraformAnnotation } from '../../connectors/resolve-subject.ts';
import type { AuditFacts, TerraformResourceFact } from '../facts.ts';
import { describeControl } from './control-cases.ts';
import { datastore, withModel } from './control-fixtures.ts';
import { infrastructureControls } from './infrastructure-controls.ts';
import { terraform, withTerraform } from './scanned-fixtures.ts';
import { datastoreOf } from './terraform-resources.ts';

const control = (id: string) => infrastructureControls.find((entry) => entry.id === id)!;

/** An RDS instance that passes every control unless `extra` says otherwise. */
const rds = (name: string, extra: Record<string, unknown> = {}) =>
  terraform(`aws_db_instance.${name}`, {
    identifier: name,
    engine: 'postgres',
    storage_encrypted: true,
    multi_az: true,
    backup_retention_period: 14,
    deletion_protection: true,
    skip_final_snapshot: false,
    publicly_accessible: false,
    ...extra,
  });

const redis = (name: string, extra: Record<string, unknown> = {}) =>
  terraform(`aws_elasticache_replication_group.${name}`, {
    replication_group_id: name,
    engine: 'redis',
    num_cache_clusters: 2,
    automatic_failover_enabled: true,
    multi_az_enabled: true,
    at_rest_encryption_enabled: true,
    snapshot_retention_limit: 7,
    ...extra,
  });

/** The model: core-postgres is tier 1, cache is tier 2 without backups. */
const modelled = (resources: readonly TerraformResourceFact[]): AuditFacts =>
  withModel({ datastores: [datastore('core-postgres'), datastore('cache', { engine: 'redis', tier: 2, backup: undefined })] }, { terraform: resources });

describe('datastoreOf', () => {
  const model = withModel({
    datastores: [datastore('core-postgres'), datastore('ledger', { annotations: { [terraformAnnotation]: 'module.ledger.*, aws_rds_cluster.main' } }), datastore('core')],
  });
  const find = (resource: TerraformResourceFact) => datastoreOf(model, resource)?.name;

  it('maps by annotation, tag, identifier, then the longest name contained', () => {
    expect(find(terraform('aws_rds_cluster.main', {}))).toBe('ledger');
    expect(find({ ...terraform('aws_db_instance.db', {}), address: 'module.ledger.aws_db_instance.db[0]' })).toBe('ledger');
    expect(find(terraform('aws_db_instance.primary', { tags: { 'steadyops.dev/datastore': 'core' } }))).toBe('core');
    expect(find(terraform('aws_db_instance.main', { identifier: 'core-postgres-prod' }))).toBe('core-postgres');
    expect(find(terraform('aws_db_instance.core_postgres', {}))).toBe('core-postgres');
    expect(find(terraform('aws_db_instance.analytics', { identifier: '${var.name}' }))).toBeUndefined();
  });
});

describeControl(control('INF-001'), {
  triggers: [
    {
      name: 'unset, false, and a Cloud SQL instance turned off',
      facts: withTerraform([
        rds('core', { deletion_protection: undefined }),
        terraform('aws_rds_cluster.ledger', { deletion_protection: false }),
        terraform('aws_dynamodb_table.orders', { name: 'orders' }),
        terraform('google_sql_database_instance.main', { deletion_protection: false }),
        rds('ok'),
      ]),
      resources: ['aws_db_instance.core', 'aws_rds_cluster.ledger', 'aws_dynamodb_table.orders', 'google_sql_database_instance.main'],
    },
  ],
  passes: [
    { name: 'protected', facts: withTerraform([rds('core'), terraform('aws_dynamodb_table.orders', { deletion_protection_enabled: true })]) },
    { name: 'a read replica', facts: withTerraform([rds('replica', { deletion_protection: undefined, replicate_source_db: '${aws_db_instance.core.identifier}' })]) },
    { name: 'Cloud SQL defaults to protected', facts: withTerraform([terraform('google_sql_database_instance.main', {})]) },
    { name: 'set from a variable', facts: withTerraform([rds('core', { deletion_protection: '${var.protect}' })]) },
  ],
});

describeControl(control('INF-002'), {
  triggers: [
    {
      name: 'off, default, short, and Cloud SQL without backups',
      facts: withTerraform([
        rds('a', { backup_retention_period: 0 }),
        rds('b', { backup_retention_period: undefined }),
        terraform('aws_rds_cluster.c', { backup_retention_period: 3 }),
        terraform('google_sql_database_instance.d', { settings: [{ tier: 'db-custom-2-7680' }] }),
        terraform('google_sql_database_instance.e', { settings: [{ backup_configuration: [{ enabled: true, backup_retention_settings: [{ retained_backups: 3 }] }] }] }),
      ]),
      resources: ['aws_db_instance.a', 'aws_db_instance.b', 'aws_rds_cluster.c', 'google_sql_database_instance.d', 'google_sql_database_instance.e'],
    },
  ],
  passes: [
    { name: 'seven days and more', facts: withTerraform([rds('a', { backup_retention_period: 7 }), terraform('aws_rds_cluster.c', { backup_retention_period: 35 })]) },
    { name: 'Cloud SQL with backups (7 kept by default)', facts: withTerraform([terraform('google_sql_database_instance.d', { settings: [{ backup_configuration: [{ enabled: true }] }] })]) },
    { name: 'a replica', facts: withTerraform([rds('replica', { backup_retention_period: 0, replicate_source_db: 'core' })]) },
  ],
});

describe('INF-002 evidence', () => {
  it('explains the AWS default', () => {
    const [finding] = control('INF-002').evaluate(modelled([rds('core-postgres', { backup_retention_period: undefined })]), new Date());
    expect(finding).toMatchObject({
      resource: 'aws_db_instance.core-postgres',
      team: 'platform',
      evidence: 'aws_db_instance.core-postgres (core-postgres, tier 1) does not set backup_retention_period, so AWS keeps 1 day of backups.',
    });
  });
});

describeControl(control('INF-003'), {
  triggers: [
    {
      name: 'RDS unset, Redis false, EFS unset',
      facts: withTerraform([rds('core', { storage_encrypted: undefined }), redis('sessions', { at_rest_encryption_enabled: false }), terraform('aws_efs_file_system.shared', {}), rds('ok')]),
      resources: ['aws_db_instance.core', 'aws_elasticache_replication_group.sessions', 'aws_efs_file_system.shared'],
    },
  ],
  passes: [
    { name: 'encrypted', facts: withTerraform([rds('core'), redis('sessions')]) },
    { name: 'Valkey and Aurora serverless v1 encrypt by default', facts: withTerraform([redis('v', { engine: 'valkey', at_rest_encryption_enabled: undefined }), terraform('aws_rds_cluster.s', { engine_mode: 'serverless' })]) },
  ],
});

describeControl(control('INF-004'), {
  triggers: [
    {
      name: 'tier-1 RDS single-AZ, Aurora with one instance, Redis without multi-AZ',
      facts: withModel(
        { datastores: [datastore('core-postgres'), datastore('ledger'), datastore('sessions', { engine: 'redis' })] },
        {
          terraform: [
            rds('core-postgres', { multi_az: false }),
            terraform('aws_rds_cluster.ledger', { cluster_identifier: 'ledger' }),
            terraform('aws_rds_cluster_instance.ledger_a', { cluster_identifier: '${aws_rds_cluster.ledger.id}' }),
            redis('sessions', { multi_az_enabled: undefined }),
          ],
        },
      ),
      resources: ['aws_db_instance.core-postgres', 'aws_rds_cluster.ledger', 'aws_elasticache_replication_group.sessions'],
    },
  ],
  passes: [
    { name: 'multi-AZ', facts: modelled([rds('core-postgres')]) },
    { name: 'a tier-2 datastore', facts: modelled([redis('cache', { automatic_failover_enabled: false, multi_az_enabled: false })]) },
    {
      name: 'Aurora with two instances',
      facts: withModel({ datastores: [datastore('ledger')] }, { terraform: [terraform('aws_rds_cluster.ledger', {}), terraform('aws_rds_cluster_instance.ledger', { cluster_identifier: '${aws_rds_cluster.ledger.id}', count: 2 })] }),
    },
    { name: 'not in the model', facts: modelled([rds('analytics', { multi_az: false })]) },
  ],
});

describeControl(control('INF-005'), {
  triggers: [{ name: 'skip_final_snapshot', facts: withTerraform([rds('core', { skip_final_snapshot: true }), terraform('aws_rds_cluster.ledger', { skip_final_snapshot: 'true' })]), resources: ['aws_db_instance.core', 'aws_rds_cluster.ledger'] }],
  passes: [{ name: 'final snapshot kept', facts: withTerraform([rds('core'), terraform('aws_rds_cluster.ledger', {})]) }],
});

describeControl(control('INF-006'), {
  triggers: [
    {
      name: 'public RDS and Cloud SQL open to the world',
      facts: withTerraform([
        rds('core', { publicly_accessible: true }),
        terraform('google_sql_database_instance.main', { settings: [{ ip_configuration: [{ ipv4_enabled: true, authorized_networks: [{ name: 'office', value: '10.0.0.0/8' }, { name: 'all', value: '0.0.0.0/0' }] }] }] }),
      ]),
      resources: ['aws_db_instance.core', 'google_sql_database_instance.main'],
    },
  ],
  passes: [{ name: 'private', facts: withTerraform([rds('core'), terraform('google_sql_database_instance.main', { settings: [{ ip_configuration: [{ authorized_networks: [{ value: '10.0.0.0/8' }] }] }] })]) }],
});

describeControl(control('INF-007'), {
  triggers: [
    {
      name: 'a backed-up tier-2 Redis and a tier-1 one without snapshots',
      facts: withModel(
        { datastores: [datastore('session-redis', { engine: 'redis', tier: 2 }), datastore('rate-redis', { engine: 'redis', tier: 1, backup: undefined })] },
        { terraform: [redis('session-redis', { snapshot_retention_limit: 0 }), redis('rate-redis', { snapshot_retention_limit: undefined })] },
      ),
      resources: ['aws_elasticache_replication_group.session-redis', 'aws_elasticache_replication_group.rate-redis'],
    },
  ],
  passes: [
    { name: 'snapshots kept', facts: withModel({ datastores: [datastore('session-redis', { engine: 'redis' })] }, { terraform: [redis('session-redis')] }) },
    { name: 'a disposable tier-2 cache', facts: modelled([redis('cache', { snapshot_retention_limit: 0 })]) },
    { name: 'a cluster node of a replication group', facts: withModel({ datastores: [datastore('session-redis', { engine: 'redis' })] }, { terraform: [terraform('aws_elasticache_cluster.session-redis', { replication_group_id: 'session-redis' })] }) },
  ],
});

describeControl(control('INF-008'), {
  triggers: [
    {
      name: 'backup buckets without versioning',
      facts: withTerraform([
        terraform('aws_s3_bucket.backups', { bucket: 'northwind-db-backups' }),
        terraform('aws_s3_bucket.wal', { bucket: 'northwind-pg-wal' }),
        terraform('aws_s3_bucket_versioning.wal', { bucket: '${aws_s3_bucket.wal.id}', versioning_configuration: [{ status: 'Suspended' }] }),
        terraform('aws_s3_bucket.assets', { bucket: 'northwind-assets' }),
      ]),
      resources: ['aws_s3_bucket.backups', 'aws_s3_bucket.wal'],
    },
  ],
  passes: [
    {
      name: 'versioned by resource, inline, or object lock',
      facts: withTerraform([
        terraform('aws_s3_bucket.backups', { bucket: 'northwind-db-backups' }),
        terraform('aws_s3_bucket_versioning.backups', { bucket: '${aws_s3_bucket.backups.id}', versioning_configuration: [{ status: 'Enabled' }] }),
        terraform('aws_s3_bucket.snapshots', { bucket: 'snapshots', versioning: [{ enabled: true }] }),
        terraform('aws_s3_bucket.archive', { bucket: 'archive', object_lock_enabled: true }),
        terraform('google_storage_bucket.dumps', { name: 'pg-dumps', versioning: [{ enabled: true }] }),
      ]),
    },
    { name: 'a bucket named like a backup word inside another word', facts: withTerraform([terraform('aws_s3_bucket.wallets', { bucket: 'wallet-images' })]) },
  ],
});

describeControl(control('INF-009'), {
  triggers: [{ name: 'no PITR', facts: withTerraform([terraform('aws_dynamodb_table.orders', { name: 'orders', point_in_time_recovery: [{ enabled: false }] }), terraform('aws_dynamodb_table.carts', {})]), resources: ['aws_dynamodb_table.orders', 'aws_dynamodb_table.carts'] }],
  passes: [{ name: 'PITR on', facts: withTerraform([terraform('aws_dynamodb_table.orders', { point_in_time_recovery: [{ enabled: true }] })]) }],
});
