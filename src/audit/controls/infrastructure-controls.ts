import type { ResolvedDatastore } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts, TerraformResourceFact } from '../facts.ts';
import { asArray, asRecords, asString, valueAt } from './plain-values.ts';
import {
  booleanArgument,
  datastoreOf,
  describeResource,
  isReplica,
  isTierOne,
  numberArgument,
  refersTo,
  resourcesOfType,
  stringArgument,
  terraformDraft,
} from './terraform-resources.ts';

/** INF: the Terraform that holds production data. */
export const infrastructureControls: readonly Control[] = [
  {
    id: 'INF-001',
    title: 'Database has no deletion protection',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'Without deletion protection one `terraform destroy`, a renamed resource or an argument that forces replacement deletes the production database, and the provider does it without asking again.',
    detection: 'aws_db_instance (not read replicas), aws_rds_cluster, aws_docdb_cluster and aws_neptune_cluster without deletion_protection = true, aws_dynamodb_table without deletion_protection_enabled = true, google_sql_database_instance with deletion_protection = false.',
    remediation: 'Turn deletion protection on (and add `lifecycle { prevent_destroy = true }` so Terraform refuses the plan too).',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  deletion_protection = true', '  lifecycle {', '    prevent_destroy = true', '  }', '}'].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, Object.keys(deletionProtection), (resource) => {
        const [field, byDefault] = deletionProtection[resource.type] ?? ['deletion_protection', false];
        if (isReplica(resource)) return undefined;
        const value = booleanArgument(resource, field);
        if (value === 'unknown' || (value ?? byDefault)) return undefined;
        return `${value === undefined ? `does not set ${field} (it defaults to false)` : `sets ${field} = false`}: a destroy or a replacement deletes it`;
      }),
  },
  {
    id: 'INF-002',
    title: 'Database keeps automated backups for less than 7 days',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'With backups off, or kept a day or two, a bad migration or a deletion noticed after a weekend cannot be undone: the last good copy has already expired.',
    detection: 'aws_db_instance (not read replicas), aws_rds_cluster, aws_docdb_cluster and aws_neptune_cluster whose backup_retention_period is 0, under 7, or unset (AWS then keeps 1 day); google_sql_database_instance without settings.backup_configuration.enabled = true or keeping fewer than 7 backups.',
    remediation: 'Keep at least 7 days of automated backups (35 for tier-1 data), plus longer-lived snapshots or AWS Backup copies where the model\'s retention asks for more.',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  backup_retention_period = 35', '  backup_window           = "02:00-03:00"', '}'].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['terraform'],
    evaluate: (facts) => drafts(facts, [...retentionTypes, 'google_sql_database_instance'], shortBackups),
  },
  {
    id: 'INF-003',
    title: 'Datastore is not encrypted at rest',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'Unencrypted storage leaves the data readable in snapshots, disks and backups shared outside the account, and it cannot be turned on later without copying the data to a new instance.',
    detection: 'aws_db_instance (not read replicas), aws_rds_cluster (not serverless v1), aws_docdb_cluster and aws_neptune_cluster without storage_encrypted = true; aws_elasticache_replication_group (Redis) without at_rest_encryption_enabled = true; aws_efs_file_system without encrypted = true.',
    remediation: 'Create the datastore encrypted (with a customer-managed KMS key for tier-1 data); for an existing one, restore an encrypted copy of a snapshot and switch over.',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  storage_encrypted = true', '  kms_key_id        = aws_kms_key.data.arn', '}'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, Object.keys(encryption), (resource) => {
        const field = encryption[resource.type] ?? 'storage_encrypted';
        if (isReplica(resource) || resource.attributes['engine_mode'] === 'serverless' || resource.attributes['engine'] === 'valkey') return undefined;
        const value = booleanArgument(resource, field);
        if (value === true || value === 'unknown') return undefined;
        return value === false ? `sets ${field} = false` : `does not set ${field} (it defaults to false)`;
      }),
  },
  {
    id: 'INF-004',
    title: 'Tier-1 datastore runs in a single zone',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'A tier-1 datastore without a standby in another zone is down for as long as its zone or its one instance is: every tier-1 service that depends on it is down too.',
    detection: 'Terraform datastores mapped to a tier-1 model Datastore (by the steadyops.dev/terraform annotation, a steadyops.dev/datastore tag, or its name): aws_db_instance without multi_az = true, aws_rds_cluster with fewer than 2 aws_rds_cluster_instance, aws_elasticache_replication_group without automatic_failover_enabled and multi_az_enabled, google_sql_database_instance without availability_type = "REGIONAL", azurerm_postgresql_flexible_server without high_availability.',
    remediation: 'Run a synchronous standby in a second zone with automatic failover, and rehearse the failover.',
    example: [
      'resource "aws_db_instance" "core" {',
      '  # ...',
      '  multi_az = true',
      '}',
      '',
      'resource "aws_elasticache_replication_group" "sessions" {',
      '  # ...',
      '  num_cache_clusters         = 2',
      '  automatic_failover_enabled = true',
      '  multi_az_enabled           = true',
      '}',
    ].join('\n'),
    effort: 'M',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['terraform', 'model'],
    evaluate: (facts) =>
      drafts(facts, ['aws_db_instance', 'aws_rds_cluster', 'aws_elasticache_replication_group', 'google_sql_database_instance', 'azurerm_postgresql_flexible_server'], (resource, datastore) =>
        isTierOne(datastore) && !isReplica(resource) ? singleZone(facts, resource) : undefined,
      ),
  },
  {
    id: 'INF-005',
    title: 'Database is deleted without a final snapshot',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'With skip_final_snapshot = true, deleting or replacing the database (a destroy, a renamed resource, an argument that forces replacement) throws the data away with no last copy to restore from.',
    detection: 'aws_db_instance (not read replicas), aws_rds_cluster, aws_docdb_cluster, aws_neptune_cluster and aws_redshift_cluster with skip_final_snapshot = true.',
    remediation: 'Take a final snapshot on deletion.',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  skip_final_snapshot       = false', '  final_snapshot_identifier = "core-postgres-final"', '}'].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, ['aws_db_instance', 'aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster', 'aws_redshift_cluster'], (resource) =>
        !isReplica(resource) && booleanArgument(resource, 'skip_final_snapshot') === true ? 'sets skip_final_snapshot = true: deleting it leaves no snapshot to restore' : undefined,
      ),
  },
  {
    id: 'INF-006',
    title: 'Database is reachable from the internet',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'A database with a public endpoint is one leaked or guessed password away from a breach, and it is scanned and brute-forced from the day it is created.',
    detection: 'aws_db_instance, aws_rds_cluster_instance and aws_redshift_cluster with publicly_accessible = true; google_sql_database_instance authorising 0.0.0.0/0.',
    remediation: 'Keep the database in private subnets and reach it through the VPC, a bastion with short-lived access, or a proxy.',
    example: ['resource "aws_db_instance" "core" {', '  # ...', '  publicly_accessible    = false', '  db_subnet_group_name   = aws_db_subnet_group.private.name', '  vpc_security_group_ids = [aws_security_group.core_postgres.id]', '}'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.6'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, ['aws_db_instance', 'aws_rds_cluster_instance', 'aws_redshift_cluster', 'google_sql_database_instance'], (resource) => {
        if (booleanArgument(resource, 'publicly_accessible') === true) return 'sets publicly_accessible = true';
        const networks = asRecords(valueAt(resource.attributes, 'settings.ip_configuration.authorized_networks'));
        return networks.some((network) => network['value'] === '0.0.0.0/0') ? 'authorises 0.0.0.0/0 in settings.ip_configuration' : undefined;
      }),
  },
  {
    id: 'INF-007',
    title: 'Tier-1 or backed-up cache keeps no snapshots',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'The model says this Redis holds data worth backing up (or that it is tier 1), but the cluster keeps no snapshots: after a failure or a FLUSHALL there is nothing to restore, and the backup policy in the model is fiction.',
    detection: 'aws_elasticache_replication_group, aws_elasticache_cluster (Redis, not in a replication group) and aws_memorydb_cluster mapped to a model Datastore that is tier 1 or declares a backup policy, with snapshot_retention_limit unset or 0.',
    remediation: 'Keep daily snapshots for at least as long as the model\'s backup retention (ElastiCache allows up to 35 days), or drop the backup policy from the model if the data is truly disposable.',
    example: ['resource "aws_elasticache_replication_group" "sessions" {', '  # ...', '  snapshot_retention_limit = 7', '  snapshot_window          = "00:00-01:00"', '}'].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['terraform', 'model'],
    evaluate: (facts) =>
      drafts(facts, ['aws_elasticache_replication_group', 'aws_elasticache_cluster', 'aws_memorydb_cluster'], (resource, datastore) => {
        if (!datastore || (datastore.tier !== 1 && !datastore.backup)) return undefined;
        if (resource.attributes['engine'] === 'memcached' || (resource.type === 'aws_elasticache_cluster' && resource.attributes['replication_group_id'] !== undefined)) return undefined;
        const retention = numberArgument(resource, 'snapshot_retention_limit');
        if (retention === 'unknown' || (retention ?? 0) > 0) return undefined;
        const why = datastore.backup ? `declares backups (${datastore.backup.schedule}, retention ${datastore.backup.retention})` : 'is tier 1';
        return `keeps no snapshots (snapshot_retention_limit ${retention === undefined ? 'not set' : '= 0'}) although ${datastore.name} ${why}`;
      }),
  },
  {
    id: 'INF-008',
    title: 'Backup bucket has no versioning',
    domain: 'infrastructure',
    severity: 'high',
    risk: 'Without versioning (or object lock) a backup in the bucket can be overwritten or deleted by one mistaken sync, a lifecycle rule or an attacker with the write key, and the restore you counted on is gone.',
    detection: 'aws_s3_bucket and google_storage_bucket named for backups (backup, snapshot, dump, wal, archive, velero, pgbackrest in the bucket or resource name) with no versioning enabled: no versioning block with enabled = true, no aws_s3_bucket_versioning for it with status Enabled, no object lock or retention policy.',
    remediation: 'Enable versioning (and object lock in compliance mode for tier-1 backups), with a lifecycle rule that expires old versions after the retention period.',
    example: [
      'resource "aws_s3_bucket_versioning" "backups" {',
      '  bucket = aws_s3_bucket.backups.id',
      '  versioning_configuration {',
      '    status = "Enabled"',
      '  }',
      '}',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, ['aws_s3_bucket', 'google_storage_bucket'], (resource) =>
        holdsBackups(resource) && !isVersioned(facts, resource) ? 'holds backups but has no versioning: one overwrite or delete loses them' : undefined,
      ),
  },
  {
    id: 'INF-009',
    title: 'DynamoDB table has no point-in-time recovery',
    domain: 'infrastructure',
    severity: 'medium',
    risk: 'Without point-in-time recovery a bad write or a bulk delete can only be undone from an on-demand backup, if one exists and is recent.',
    detection: 'aws_dynamodb_table without point_in_time_recovery { enabled = true }.',
    remediation: 'Enable point-in-time recovery (35 days of continuous backups) on every table that holds data you cannot rebuild.',
    example: ['resource "aws_dynamodb_table" "orders" {', '  # ...', '  point_in_time_recovery {', '    enabled = true', '  }', '}'].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['terraform'],
    evaluate: (facts) =>
      drafts(facts, ['aws_dynamodb_table'], (resource) => {
        const enabled = booleanArgument(resource, 'point_in_time_recovery.enabled');
        return enabled === true || enabled === 'unknown' ? undefined : 'has no point-in-time recovery enabled';
      }),
  },
];

/** One finding per resource of these types that `problem` finds something wrong with, in address order. */
function drafts(
  facts: AuditFacts,
  types: readonly string[],
  problem: (resource: TerraformResourceFact, datastore: ResolvedDatastore | undefined) => string | undefined,
): FindingDraft[] {
  return resourcesOfType(facts, types).flatMap((resource) => {
    const datastore = datastoreOf(facts, resource);
    const found = problem(resource, datastore);
    return found ? [terraformDraft(facts, resource, `${describeResource(resource, datastore)} ${found}.`)] : [];
  });
}

/** The deletion protection argument of each type and what the provider assumes without it. */
const deletionProtection: Readonly<Record<string, readonly [string, boolean]>> = {
  aws_db_instance: ['deletion_protection', false],
  aws_rds_cluster: ['deletion_protection', false],
  aws_docdb_cluster: ['deletion_protection', false],
  aws_neptune_cluster: ['deletion_protection', false],
  aws_dynamodb_table: ['deletion_protection_enabled', false],
  google_sql_database_instance: ['deletion_protection', true],
};

/** Types whose backup_retention_period defaults to 1 day on AWS. */
const retentionTypes = ['aws_db_instance', 'aws_rds_cluster', 'aws_docdb_cluster', 'aws_neptune_cluster'];

const minimumRetentionDays = 7;

function shortBackups(resource: TerraformResourceFact): string | undefined {
  if (isReplica(resource)) return undefined;
  if (resource.type === 'google_sql_database_instance') {
    const enabled = booleanArgument(resource, 'settings.backup_configuration.enabled');
    if (enabled === 'unknown') return undefined;
    if (enabled !== true) return 'does not enable settings.backup_configuration: automated backups are off';
    const kept = numberArgument(resource, 'settings.backup_configuration.backup_retention_settings.retained_backups');
    return typeof kept === 'number' && kept < minimumRetentionDays ? `keeps ${kept} automated backups` : undefined;
  }
  const days = numberArgument(resource, 'backup_retention_period');
  if (days === 'unknown') return undefined;
  if (days === 0) return 'sets backup_retention_period = 0: automated backups are off';
  if (days === undefined) return 'does not set backup_retention_period, so AWS keeps 1 day of backups';
  return days < minimumRetentionDays ? `keeps ${days} day${days === 1 ? '' : 's'} of automated backups` : undefined;
}

const encryption: Readonly<Record<string, string>> = {
  aws_db_instance: 'storage_encrypted',
  aws_rds_cluster: 'storage_encrypted',
  aws_docdb_cluster: 'storage_encrypted',
  aws_neptune_cluster: 'storage_encrypted',
  aws_elasticache_replication_group: 'at_rest_encryption_enabled',
  aws_efs_file_system: 'encrypted',
};

function singleZone(facts: AuditFacts, resource: TerraformResourceFact): string | undefined {
  switch (resource.type) {
    case 'aws_db_instance': {
      const multiAz = booleanArgument(resource, 'multi_az');
      return multiAz === true || multiAz === 'unknown' ? undefined : 'runs one instance in one zone (multi_az is not true)';
    }
    case 'aws_rds_cluster': {
      const instances = clusterInstances(facts, resource);
      return instances !== undefined && instances < 2 ? `has ${instances} aws_rds_cluster_instance: no reader to fail over to` : undefined;
    }
    case 'aws_elasticache_replication_group': {
      const settings = ['automatic_failover_enabled', 'multi_az_enabled'].map((field) => [field, booleanArgument(resource, field)] as const);
      if (settings.some(([, value]) => value === 'unknown')) return undefined;
      const missing = settings.filter(([, value]) => value !== true).map(([field]) => field);
      return missing.length > 0 ? `does not set ${missing.join(' and ')} = true: losing the primary is an outage until someone promotes a replica` : undefined;
    }
    case 'google_sql_database_instance': {
      const availability = stringArgument(resource, 'settings.availability_type');
      return availability === 'REGIONAL' || availability === 'unknown' ? undefined : `has availability_type ${availability ?? 'ZONAL (the default)'}`;
    }
    default: {
      const mode = stringArgument(resource, 'high_availability.mode');
      return mode === undefined ? 'has no high_availability block' : undefined;
    }
  }
}

/** Instances of an Aurora cluster across its aws_rds_cluster_instance resources; undefined when a count is an expression. */
function clusterInstances(facts: AuditFacts, cluster: TerraformResourceFact): number | undefined {
  let total = 0;
  for (const instance of facts.terraform.filter((resource) => resource.type === 'aws_rds_cluster_instance' && refersTo(resource.attributes['cluster_identifier'], cluster, 'cluster_identifier'))) {
    const count = numberArgument(instance, 'count');
    if (count === 'unknown') return undefined;
    total += count ?? 1;
  }
  return total;
}

const backupWords = new Set(['backup', 'backups', 'snapshot', 'snapshots', 'dump', 'dumps', 'wal', 'archive', 'archives', 'velero', 'pgbackrest']);

function holdsBackups(bucket: TerraformResourceFact): boolean {
  const names = [bucket.name, asString(bucket.attributes['bucket']), asString(bucket.attributes['bucket_prefix']), asString(bucket.attributes['name'])];
  return names.some((name) => name !== undefined && name.toLowerCase().split(/[^a-z0-9]+/).some((word) => backupWords.has(word)));
}

function isVersioned(facts: AuditFacts, bucket: TerraformResourceFact): boolean {
  const inline = booleanArgument(bucket, 'versioning.enabled');
  if (inline === true || inline === 'unknown') return true;
  if (booleanArgument(bucket, 'object_lock_enabled') === true || asArray(bucket.attributes['retention_policy']).length > 0) return true;
  return facts.terraform.some((resource) => {
    if (resource.type !== 'aws_s3_bucket_versioning' || !refersTo(resource.attributes['bucket'], bucket, 'bucket')) return false;
    const status = stringArgument(resource, 'versioning_configuration.status');
    return status === 'Enabled' || status === 'unknown';
  });
}
