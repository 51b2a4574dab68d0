/**
 * The one list of resource types that hold data: deleting or replacing one of them loses data unless a
 * backup is restored. `*` matches any run of characters. Extend it here, nowhere else.
 */
export const statefulResourceTypes: readonly string[] = [
  // AWS
  'aws_db_instance',
  'aws_db_cluster_snapshot',
  'aws_rds_cluster',
  'aws_rds_cluster_instance',
  'aws_rds_global_cluster',
  'aws_dynamodb_table',
  'aws_dynamodb_global_table',
  'aws_s3_bucket',
  'aws_ebs_volume',
  'aws_efs_file_system',
  'aws_fsx_*_file_system',
  'aws_elasticache_*',
  'aws_memorydb_cluster',
  'aws_docdb_cluster*',
  'aws_neptune_cluster*',
  'aws_redshift_cluster',
  'aws_opensearch_domain',
  'aws_elasticsearch_domain',
  'aws_msk_cluster',
  'aws_kinesis_stream',
  'aws_sqs_queue',
  'aws_backup_vault',
  'aws_kms_key',
  // Google Cloud
  'google_sql_database_instance',
  'google_sql_database',
  'google_storage_bucket',
  'google_compute_disk',
  'google_compute_region_disk',
  'google_bigtable_instance',
  'google_bigtable_table',
  'google_spanner_instance',
  'google_spanner_database',
  'google_bigquery_dataset',
  'google_bigquery_table',
  'google_redis_instance',
  'google_filestore_instance',
  'google_firestore_database',
  'google_kms_crypto_key',
  // Azure
  'azurerm_*database*',
  'azurerm_*sql*server',
  'azurerm_storage_account',
  'azurerm_storage_container',
  'azurerm_managed_disk',
  'azurerm_redis_cache',
  'azurerm_cosmosdb_*',
  'azurerm_key_vault',
  // Kubernetes
  'kubernetes_persistent_volume*',
  // Cloudflare, DigitalOcean
  'cloudflare_r2_bucket',
  'digitalocean_database_cluster',
  'digitalocean_volume',
];

const patterns = statefulResourceTypes.map(
  (pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`),
);

export function isStatefulType(type: string): boolean {
  return patterns.some((pattern) => pattern.test(type));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
