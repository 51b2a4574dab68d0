import { describe, expect, it } from 'vitest';
import { loadModelOrThrow } from './load-model.ts';
import { buildOwnershipGraph, type OwnershipGraph } from './ownership-graph.ts';

const { model } = await loadModelOrThrow('examples/demo/.steadyops');

function count(graph: OwnershipGraph, kind: string): number {
  return graph.nodes.filter((node) => node.kind === kind).length;
}

function names(graph: OwnershipGraph, predicate: (node: OwnershipGraph['nodes'][number]) => boolean): string[] {
  return graph.nodes.filter(predicate).map((node) => node.id).sort();
}

describe('buildOwnershipGraph', () => {
  it('maps the whole demo organisation', () => {
    const graph = buildOwnershipGraph(model);
    expect({ teams: count(graph, 'team'), services: count(graph, 'service'), datastores: count(graph, 'datastore'), externals: count(graph, 'external') }).toEqual({
      teams: 4,
      services: 10,
      datastores: 4,
      externals: 3,
    });
    const owns = graph.edges.filter((edge) => edge.kind === 'owns');
    const dependsOn = graph.edges.filter((edge) => edge.kind === 'dependsOn');
    expect(owns).toHaveLength(14);
    expect(dependsOn).toHaveLength(24);
    expect(dependsOn.filter((edge) => edge.critical)).toHaveLength(12);
    expect(graph.nodes.every((node) => !node.context)).toBe(true);
    const ids = new Set(graph.nodes.map((node) => node.id));
    expect(graph.edges.every((edge) => ids.has(edge.source) && ids.has(edge.target))).toBe(true);
  });

  it('keeps tiers, owners and criticality from the model', () => {
    const graph = buildOwnershipGraph(model);
    expect(graph.nodes.find((node) => node.id === 'service:checkout-api')).toMatchObject({ tier: 1, owner: 'team:payments' });
    expect(graph.nodes.find((node) => node.id === 'datastore:core-postgres')).toMatchObject({ tier: 1, owner: 'team:platform', engine: 'postgresql' });
    expect(graph.edges.find((edge) => edge.id === 'service:payments-gateway->external:stripe-api')).toMatchObject({ kind: 'dependsOn', critical: true });
    expect(graph.edges.find((edge) => edge.id === 'service:checkout-api->service:fraud-scorer')).toMatchObject({ critical: false });
  });

  it("filters to a team: its services and datastores, one hop of dependencies, their owners as context", () => {
    const graph = buildOwnershipGraph(model, { team: 'growth' });
    expect(graph.team).toBe('growth');
    expect(names(graph, (node) => !node.context)).toEqual([
      'datastore:search-elasticsearch',
      'service:notification-worker',
      'service:search-api',
      'service:web-frontend',
      'team:growth',
    ]);
    expect(names(graph, (node) => node.context)).toEqual([
      'datastore:events-kafka',
      'external:sendgrid',
      'service:auth-service',
      'service:checkout-api',
      'team:identity',
      'team:payments',
      'team:platform',
    ]);
    // checkout-api's own dependencies are two hops out: not shown
    expect(graph.edges.filter((edge) => edge.kind === 'dependsOn').every((edge) => edge.source.startsWith('service:') && !edge.source.endsWith('checkout-api'))).toBe(true);
    expect(graph.edges.filter((edge) => edge.kind === 'dependsOn')).toHaveLength(6);
    expect(graph.edges.filter((edge) => edge.kind === 'owns')).toHaveLength(7);
  });

  it('merges a dependency declared twice into one edge, critical if either is', () => {
    const copy = structuredClone(model);
    copy.services[0]!.dependsOn = [{ external: 'acme' }, { external: 'acme', critical: true }];
    const edges = buildOwnershipGraph(copy).edges.filter((edge) => edge.source === `service:${copy.services[0]!.name}`);
    expect(edges).toEqual([expect.objectContaining({ target: 'external:acme', critical: true })]);
  });
});
