import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditWarning } from '../facts.ts';
import { looksLikePlan, scanTerraformFiles, scanTerraformPlan } from './terraform-scanner.ts';

function collect() {
  const warnings: AuditWarning[] = [];
  return { warnings, warn: (location: AuditWarning['location'], message: string) => warnings.push({ location, message }) };
}

const fixturePlan = readFileSync(new URL('../../../test/fixtures/audit/repo/terraform/plan.json', import.meta.url), 'utf8');

describe('scanTerraformFiles', () => {
  it('reads resources as type.name with their arguments, at the line of their block', async () => {
    const { warnings, warn } = collect();
    const text = [
      'variable "env" {}',
      '',
      'resource "aws_db_instance" "main" {',
      '  engine              = "postgres"',
      '  multi_az            = var.env == "prod"',
      '  deletion_protection = true',
      '  tags = { team = "shop" }',
      '}',
      '',
      '  resource aws_s3_bucket logs {',
      '  bucket = "logs"',
      '  versioning {',
      '    enabled = true',
      '  }',
      '}',
      'data "aws_iam_policy_document" "x" {}',
      'module "vpc" { source = "./vpc" }',
    ].join('\n');
    const resources = await scanTerraformFiles([{ file: 'infra/main.tf', text }], warn);
    expect(warnings).toEqual([]);
    expect(resources).toEqual([
      {
        address: 'aws_db_instance.main',
        type: 'aws_db_instance',
        name: 'main',
        location: { file: 'infra/main.tf', line: 3 },
        attributes: { engine: 'postgres', multi_az: '${var.env == "prod"}', deletion_protection: true, tags: { team: 'shop' } },
        source: 'hcl',
      },
      {
        address: 'aws_s3_bucket.logs',
        type: 'aws_s3_bucket',
        name: 'logs',
        location: { file: 'infra/main.tf', line: 10 },
        attributes: { bucket: 'logs', versioning: [{ enabled: true }] },
        source: 'hcl',
      },
    ]);
  });

  it('a file that does not parse is a warning at the parser position; the other files are still read', async () => {
    const { warnings, warn } = collect();
    const resources = await scanTerraformFiles(
      [
        { file: 'a.tf', text: 'resource "aws_sqs_queue" "q" {\n  name = "q"\n' },
        { file: 'b.tf', text: 'resource "aws_sns_topic" "t" {}\n' },
      ],
      warn,
    );
    expect(resources.map((resource) => resource.address)).toEqual(['aws_sns_topic.t']);
    expect(warnings).toEqual([{ location: { file: 'a.tf', line: 1, column: 30 }, message: expect.stringMatching(/^Terraform syntax: Unclosed configuration block; .*; the file is not scanned$/) }]);
  });
});

describe('scanTerraformPlan', () => {
  it('reads managed resources as planned; deleted resources and data sources are left out', () => {
    const { warnings, warn } = collect();
    expect(looksLikePlan(fixturePlan)).toBe(true);
    expect(scanTerraformPlan('plan.json', fixturePlan, warn)).toEqual([
      {
        address: 'aws_db_instance.orders',
        type: 'aws_db_instance',
        name: 'orders',
        location: { file: 'plan.json', line: 7 },
        attributes: { identifier: 'orders-db', deletion_protection: false, multi_az: false },
        source: 'plan',
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('finds the line of each resource in the one-line JSON terraform show writes', () => {
    const { warn } = collect();
    const minified = JSON.stringify(JSON.parse(fixturePlan));
    expect(scanTerraformPlan('plan.json', minified, warn).map((resource) => resource.location)).toEqual([{ file: 'plan.json', line: 1 }]);
  });

  it('a plan that is not a valid plan JSON is a warning naming the field', () => {
    const { warnings, warn } = collect();
    expect(scanTerraformPlan('plan.json', '{"format_version": "one", "resource_changes": []}', warn)).toEqual([]);
    expect(warnings).toEqual([{ location: { file: 'plan.json' }, message: expect.stringMatching(/^plan\.json is not a Terraform plan JSON: format_version: .*; not scanned$/) }]);
  });
});
