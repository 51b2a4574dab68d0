import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError } from '../../lib/errors.ts';
import { diagramFormats, renderOwnershipDiagram, type DiagramFormat } from '../../model/diagram/ownership-diagram.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { buildOwnershipGraph } from '../../model/ownership-graph.ts';
import { findTeam } from '../../model/resolve.ts';
import type { CliContext } from '../context.ts';

interface DiagramOptions {
  team?: string;
  format?: string;
  out?: string;
  config?: string;
}

const formatOfExtension: Readonly<Record<string, DiagramFormat>> = { '.svg': 'svg', '.dot': 'dot', '.gv': 'dot', '.mmd': 'mermaid', '.mermaid': 'mermaid' };

export function registerDiagramCommand(program: Command, ctx: CliContext): void {
  program
    .command('diagram')
    .description('Draw the ownership map from the model: teams, their services and datastores, dependencies, tiers')
    .option('--team <team>', "only this team's services and datastores, their dependencies and the teams owning those")
    .option('--format <format>', `${diagramFormats.join(', ')} (default: from the --out extension, else mermaid)`)
    .option('--out <file>', 'write the diagram to this file instead of standard output')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .addHelpText(
      'after',
      [
        '',
        'Tier-1 services and datastores have a bold red outline, critical dependencies are thick red arrows,',
        'externals are dashed. SVG is laid out with ELK (the dashboard uses the same layout).',
        '',
        'Examples:',
        '  $ steadyops diagram > ownership.mmd',
        '  $ steadyops diagram --team payments --format dot | dot -Tpng > payments.png',
        '  $ steadyops diagram --format svg --out docs/images/ownership-map.svg',
      ].join('\n'),
    )
    .action(async (options: DiagramOptions) => {
      const globals = ctx.globals();
      const format = diagramFormat(options.format ?? globals.format, options.out);
      const { model } = await loadModelOrThrow(options.config ?? globals.config, ctx.cwd);
      if (options.team !== undefined && !findTeam(model, options.team)) {
        const known = model.teams.map((team) => team.name).join(', ') || 'none';
        throw new SteadyopsError('SO_E_USAGE', { detail: `--team ${options.team} is not a team of the model; teams: ${known}` });
      }
      const graph = buildOwnershipGraph(model, options.team !== undefined ? { team: options.team } : {});
      const text = await renderOwnershipDiagram(graph, format);
      if (options.out === undefined) {
        ctx.stdout(text);
        return;
      }
      await writeFile(resolve(ctx.cwd, options.out), text);
      const services = graph.nodes.filter((node) => node.kind === 'service').length;
      ctx.stderr(`ownership map (${format}, ${services} services) written to ${options.out}\n`);
    });
}

function diagramFormat(format: string | undefined, out: string | undefined): DiagramFormat {
  if (format === undefined) return (out !== undefined ? formatOfExtension[extname(out).toLowerCase()] : undefined) ?? 'mermaid';
  if (!(diagramFormats as readonly string[]).includes(format)) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use ${diagramFormats.join(', ')}` });
  }
  return format as DiagramFormat;
}
