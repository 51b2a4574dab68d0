import { randomUUID } from 'node:crypto';

/** A Kubernetes object as plain JSON; only the fields the test server reads are typed. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }[];
    [key: string]: unknown;
  };
  spec?: any;
  status?: any;
  data?: Record<string, string>;
  [key: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoredEvent {
  readonly resourceVersion: number;
  readonly resource: string;
  readonly type: WatchEventType;
  readonly object: KubeObject;
}

export type WatchListener = (event: StoredEvent) => void;

/**
 * In-memory objects with one cluster-wide, monotonically increasing resourceVersion and the history
 * of every change, so a watch can resume from any version still in the history (410 Gone before it).
 */
export class KubeStore {
  private version = 1;
  private readonly objects = new Map<string, KubeObject>();
  private history: StoredEvent[] = [];
  private oldestKept = 1;
  private readonly listeners = new Set<WatchListener>();

  get resourceVersion(): number {
    return this.version;
  }

  list(resource: string, namespace: string | undefined): KubeObject[] {
    const prefix = namespace === undefined ? `${resource}/` : `${resource}/${namespace}/`;
    return [...this.objects.entries()].filter(([name]) => name.startsWith(prefix)).map(([, object]) => structuredClone(object));
  }

  get(resource: string, namespace: string, name: string): KubeObject | undefined {
    const object = this.objects.get(key(resource, namespace, name));
    return object && structuredClone(object);
  }

  create(resource: string, object: KubeObject, now: Date): KubeObject {
    const stored = structuredClone(object);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp = now.toISOString().replace(/\.\d+Z$/, 'Z');
    stored.metadata.generation = 1;
    return this.write(resource, 'ADDED', stored);
  }

  /** Writes a changed object; the generation moves when the spec changed, as the API server does. */
  update(resource: string, object: KubeObject): KubeObject {
    const previous = this.objects.get(key(resource, object.metadata.namespace ?? '', object.metadata.name));
    const stored = structuredClone(object);
    const generation = previous?.metadata.generation ?? 1;
    stored.metadata.generation = JSON.stringify(previous?.spec) === JSON.stringify(stored.spec) ? generation : generation + 1;
    return this.write(resource, 'MODIFIED', stored);
  }

  delete(resource: string, namespace: string, name: string): KubeObject | undefined {
    const object = this.objects.get(key(resource, namespace, name));
    if (!object) return undefined;
    this.objects.delete(key(resource, namespace, name));
    this.version += 1;
    const deleted = { ...structuredClone(object), metadata: { ...object.metadata, resourceVersion: String(this.version) } };
    this.record({ resourceVersion: this.version, resource, type: 'DELETED', object: deleted });
    return deleted;
  }

  /** Events after `resourceVersion`, or undefined when that version is older than the history kept. */
  eventsSince(resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.oldestKept - 1) return undefined;
    return this.history.filter((event) => event.resourceVersion > resourceVersion).map((event) => structuredClone(event));
  }

  /** Drops the history, as etcd compaction does: watches from older versions then get 410 Gone. */
  compact(): void {
    this.history = [];
    this.oldestKept = this.version + 1;
  }

  subscribe(listener: WatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private write(resource: string, type: WatchEventType, object: KubeObject): KubeObject {
    this.version += 1;
    object.metadata.resourceVersion = String(this.version);
    this.objects.set(key(resource, object.metadata.namespace ?? '', object.metadata.name), object);
    this.record({ resourceVersion: this.version, resource, type, object: structuredClone(object) });
    return structuredClone(object);
  }

  private record(event: StoredEvent): void {
    this.history.push(event);
    for (const listener of this.listeners) listener(structuredClone(event));
  }
}

function key(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}
