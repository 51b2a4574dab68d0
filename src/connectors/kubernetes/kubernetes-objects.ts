import { z } from 'zod';

/** The parts of a watched object the mapping reads; everything else passes through untouched. */
const container = z.looseObject({ name: z.string(), image: z.string().optional() });

export const kubernetesObjectSchema = z.looseObject({
  kind: z.string().optional(),
  metadata: z.looseObject({
    name: z.string().min(1),
    namespace: z.string().optional(),
    uid: z.string().min(1),
    resourceVersion: z.string().optional(),
    generation: z.number().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z
    .looseObject({
      replicas: z.number().optional(),
      template: z.looseObject({ spec: z.looseObject({ containers: z.array(container).optional() }).optional() }).optional(),
    })
    .optional(),
  status: z.looseObject({}).optional(),
  data: z.record(z.string(), z.string()).optional(),
  binaryData: z.record(z.string(), z.string()).optional(),
});

export type KubernetesObject = z.infer<typeof kubernetesObjectSchema>;

export const watchedKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'ConfigMap'] as const;
export type WatchedKind = (typeof watchedKinds)[number];

export interface KubernetesWatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly kind: WatchedKind;
  readonly object: KubernetesObject;
}
