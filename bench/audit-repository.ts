import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AuditRepositorySize {
  readonly manifests: number;
  readonly workflows: number;
  readonly terraformResources: number;
  readonly migrations: number;
}

const teams = ['payments', 'identity', 'growth', 'platform', 'data'];
const resourcesPerTerraformFile = 10;

function manifest(index: number): string {
  const name = `service-${index}`;
  const namespace = teams[index % teams.length] as string;
  return `# ${name}: Deployment and Service
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
  labels: { app.kubernetes.io/name: ${name}, app.kubernetes.io/part-of: bench }
spec:
  replicas: ${1 + (index % 4)}
  selector:
    matchLabels: { app.kubernetes.io/name: ${name} }
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels: { app.kubernetes.io/name: ${name} }
    spec:
      containers:
        - name: ${name}
          image: ghcr.io/bench/${name}:v1.${index}.0
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /readyz, port: http }, periodSeconds: 5 }
          livenessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 10 }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector: { app.kubernetes.io/name: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

function workflow(index: number): string {
  return `name: deploy-${index}
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
      - run: docker build -t ghcr.io/bench/service-${index}:\${{ github.sha }} .
  production:
    needs: build
    runs-on: ubuntu-latest
    environment: production
    permissions:
      id-token: write
    steps:
      - uses: actions/checkout@v4
      - name: Gate
        run: npx steadyops gate check service-${index} --environment production
      - name: Deploy
        run: kubectl set image deployment/service-${index} app=ghcr.io/bench/service-${index}:\${{ github.sha }}
`;
}

function terraformResource(index: number): string {
  return index % 2 === 0
    ? `resource "aws_db_instance" "db_${index}" {
  identifier              = "db-${index}"
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  storage_encrypted       = true
  multi_az                = ${index % 4 === 0}
  backup_retention_period = 7
  deletion_protection     = true
  tags = { team = "${teams[index % teams.length]}" }
}
`
    : `resource "aws_s3_bucket" "bucket_${index}" {
  bucket = "bench-bucket-${index}"
  tags   = { team = "${teams[index % teams.length]}" }
}
`;
}

function migration(index: number): string {
  const table = `table_${Math.floor(index / 3)}`;
  if (index % 3 === 0) return `-- create ${table}\nCREATE TABLE ${table} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL,\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n`;
  if (index % 3 === 1) return `ALTER TABLE ${table} ADD COLUMN note text;\nCREATE INDEX ${table}_name_idx ON ${table} (name);\n`;
  return `UPDATE ${table} SET name = lower(name);\nALTER TABLE ${table} DROP COLUMN note;\n`;
}

/**
 * Writes a repository of the given size under `root` and returns its YAML files (for the raw parse
 * baseline): manifests (a Deployment and a Service each) in team folders, workflows, Terraform
 * (ten resources a file) and SQL migrations.
 */
export function writeAuditRepository(root: string, size: AuditRepositorySize): string[] {
  const yamlFiles: string[] = [];
  const write = (path: string, text: string) => {
    const absolute = join(root, path);
    mkdirSync(join(absolute, '..'), { recursive: true });
    writeFileSync(absolute, text);
    if (/\.ya?ml$/.test(path)) yamlFiles.push(absolute);
  };
  for (let index = 0; index < size.manifests; index += 1) write(`k8s/${teams[index % teams.length]}/service-${index}.yaml`, manifest(index));
  for (let index = 0; index < size.workflows; index += 1) write(`.github/workflows/deploy-${index}.yml`, workflow(index));
  for (let file = 0; file * resourcesPerTerraformFile < size.terraformResources; file += 1) {
    const first = file * resourcesPerTerraformFile;
    const count = Math.min(resourcesPerTerraformFile, size.terraformResources - first);
    write(`terraform/stack-${file}.tf`, Array.from({ length: count }, (_, offset) => terraformResource(first + offset)).join('\n'));
  }
  for (let index = 0; index < size.migrations; index += 1) write(`migrations/${String(index + 1).padStart(5, '0')}_change_${index}.sql`, migration(index));
  return yamlFiles;
}
