import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { describeChange, linkOf } from './describe-change.ts';

const event = (type: string, data: unknown): LedgerEvent => ({
  seq: 1,
  specversion: '1.0',
  id: 'e',
  source: '/s',
  type,
  time: '2026-11-26T08:00:00.000Z',
  actor: 'a',
  ingested_at: '2026-11-26T08:00:00.000Z',
  leaf_hash: '',
  data,
});

describe('describeChange', () => {
  it.each([
    ['dev.steadyops.deploy.finished', { version: 'v2.1.0', previousVersion: 'v2.0.3' }, 'deploy finished — v2.0.3 -> v2.1.0'],
    ['dev.steadyops.deploy.started', { version: 'v2.1.0' }, 'deploy started — v2.1.0'],
    ['dev.steadyops.rollback.finished', { fromVersion: 'v2.1.0', toVersion: 'v2.0.3', reason: 'error rate' }, 'rollback finished — v2.1.0 -> v2.0.3 (error rate)'],
    ['dev.steadyops.config.changed', { resource: 'configmap/checkout', keys: ['POOL_SIZE', 'TIMEOUT_MS'] }, 'config changed — configmap/checkout: POOL_SIZE, TIMEOUT_MS'],
    ['dev.steadyops.flag.changed', { flag: 'new-checkout', enabled: true, rolloutPercent: 25 }, 'flag changed — new-checkout on at 25%'],
    ['dev.steadyops.infra.planned', { workspace: 'prod', add: 1, change: 0, destroy: 1, destructive: true }, 'infra planned — prod: +1 ~0 -1, DESTRUCTIVE'],
    ['dev.steadyops.alert.firing', { alertname: 'CheckoutErrors', severity: 'page' }, 'alert firing — CheckoutErrors (page)'],
    ['dev.steadyops.access.granted', { role: 'prod-db-admin', requester: 'ana', approver: 'ben' }, 'access granted — prod-db-admin for ana, approved by ben'],
    ['dev.steadyops.pipeline.finished', { title: 'deploy.yml', outcome: 'failed' }, 'pipeline finished — deploy.yml — failed'],
    ['dev.cdevents.service.deployed.0.3.0', { version: '1.2' }, 'dev.cdevents.service.deployed.0.3.0 — 1.2'],
    ['dev.steadyops.deploy.finished', 'not an object', 'deploy finished'],
  ])('%s %j reads "%s"', (type, data, line) => {
    expect(describeChange(event(type, data))).toBe(line);
  });
});

describe('linkOf', () => {
  it.each([
    [{ url: 'https://github.com/northwind/checkout-api/actions/runs/1' }, 'https://github.com/northwind/checkout-api/actions/runs/1'],
    [{ generatorURL: 'http://prometheus:9090/graph?g0.expr=up' }, 'http://prometheus:9090/graph?g0.expr=up'],
    [{ url: 'javascript:alert(1)' }, undefined],
    [{}, undefined],
  ])('%j links to %s', (data, link) => {
    expect(linkOf(event('dev.steadyops.deploy.finished', data))).toBe(link);
  });
});
