import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseAllDocuments } from 'yaml';
import { buildAuditReport } from '../src/audit/build-audit-report.ts';
import { controlCatalog } from '../src/audit/controls/control-catalog.ts';
import { runAudit } from '../src/audit/run-audit.ts';
import { scanRepository } from '../src/audit/scanners/scan-repository.ts';
import { writeAuditRepository, type AuditRepositorySize } from './audit-repository.ts';
import type { BenchContext } from './bench-context.ts';
import { rateFigure, type Figure } from './figure.ts';
import { alternate } from './measure.ts';
import { progress } from './progress.ts';
import { withTempDir } from './temp-dir.ts';

/** The repository: 10,000 manifests, 500 workflows, 2,000 Terraform resources, 1,000 migrations (a tenth with --quick). */
function sizeOf(quick: boolean): AuditRepositorySize {
  const scale = quick ? 10 : 1;
  return { manifests: 10_000 / scale, workflows: 500 / scale, terraformResources: 2_000 / scale, migrations: 1_000 / scale };
}

/**
 * The whole audit (scan, every control, the report with its backlog) over a generated repository (files per second) beside the raw parse of its
 * YAML files with the same parser (`parseAllDocuments` of each file read from disk), in the same run;
 * and the resident memory peak of the scans.
 */
export async function auditScan(ctx: BenchContext): Promise<Figure[]> {
  const size = sizeOf(ctx.quick);
  const rounds = 3;
  return withTempDir('audit-scan', async (root) => {
    progress(`audit scan: writing ${size.manifests} manifests, ${size.workflows} workflows, ${size.terraformResources} Terraform resources, ${size.migrations} migrations`);
    const yamlFiles = writeAuditRepository(root, size);
    const now = new Date();
    let peakRss = 0;
    let filesScanned = 0;
    let found: Record<string, number> = {};
    const product = async () => {
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
      const start = performance.now();
      try {
        const facts = await scanRepository({ root, now, model: 'none' });
        const report = buildAuditReport({ run: runAudit(facts, controlCatalog, now), catalog: controlCatalog });
        if (report.summary.controls.pass + report.summary.controls.fail === 0) throw new Error('no control ran');
        filesScanned = facts.filesScanned;
        found = { kubernetes: facts.kubernetes.length, workflows: facts.workflows.length, terraform: facts.terraform.length, migrations: facts.migrations.length, warnings: facts.warnings.length };
        return facts.filesScanned / ((performance.now() - start) / 1_000);
      } finally {
        clearInterval(sampler);
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }
    };
    const baseline = async () => {
      const start = performance.now();
      let documents = 0;
      for (const file of yamlFiles) documents += parseAllDocuments(readFileSync(file, 'utf8')).length;
      if (documents === 0) throw new Error('the baseline parsed nothing');
      return yamlFiles.length / ((performance.now() - start) / 1_000);
    };
    progress(`audit scan: ${rounds} rounds of the scan beside the raw YAML parse`);
    const measured = await alternate(rounds, product, baseline);
    const peakMb = peakRss / (1024 * 1024);
    progress(`audit scan: ${filesScanned} files, found ${JSON.stringify(found)}, rss peak ${Math.round(peakMb)} MB`);
    return [
      rateFigure(`audit: scan + ${controlCatalog.length} controls + report (${filesScanned} files: ${size.manifests} manifests, ${size.workflows} workflows, ${size.terraformResources} tf resources, ${size.migrations} migrations)`, measured.product, measured.baseline, 'files/s', 0.5, {
        yamlFiles: yamlFiles.length,
        filesScanned,
        found,
        rounds: { product: measured.productRounds, baseline: measured.baselineRounds },
        secondsPerScan: filesScanned / measured.product,
      }),
      { name: 'audit memory (resident set peak)', value: peakMb, unit: 'MB', details: { note: 'process RSS sampled every 25 ms during the scans, including the bench process itself' } },
    ];
  });
}
