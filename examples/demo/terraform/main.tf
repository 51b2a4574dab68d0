# Northwind Pay production data tier: the core Postgres cluster and the session Redis.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
  backend "s3" {
    bucket = "northwind-terraform-state"
    key    = "prod-data/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = { owner = "platform", system = "northwind-pay", managed-by = "terraform" }
  }
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_db_instance" "core" {
  identifier                = "core-postgres"
  engine                    = "postgres"
  engine_version            = "16.3"
  instance_class            = "db.r6g.xlarge"
  allocated_storage         = 500
  max_allocated_storage     = 2000
  storage_encrypted         = true
  multi_az                  = true
  username                  = "northwind"
  password                  = var.db_password
  backup_retention_period   = 35
  backup_window             = "02:00-03:00"
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "core-postgres-final"
  performance_insights_enabled = true
  tags = { "steadyops.dev/datastore" = "core-postgres" }
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "session-redis"
  description                = "Sessions and rate limits"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.r6g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  at_rest_encryption_enabled = true
  transit_encryption_enabled = true
  snapshot_retention_limit   = 7
  snapshot_window            = "00:00-01:00"
  tags = { "steadyops.dev/datastore" = "session-redis" }
}
