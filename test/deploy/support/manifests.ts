import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** Every object of a multi-document YAML stream (comments and empty documents dropped). */
export function parseManifests(text: string): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0)
      throw new Error(`invalid YAML: ${document.errors.map((error) => error.message).join('; ')}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    objects.push(value as K8sObject);
  }
  return objects;
}

type ModelClass = new (data: unknown) => { validate(): void };
type ModelModule = Record<string, ModelClass | undefined>;

/** The API groups the chart renders; a new one is added here when a template starts using it. */
const modelModules: Record<string, () => Promise<unknown>> = {
  v1: () => import('kubernetes-models/v1'),
  'apps/v1': () => import('kubernetes-models/apps/v1'),
  'batch/v1': () => import('kubernetes-models/batch/v1'),
  'policy/v1': () => import('kubernetes-models/policy/v1'),
  'autoscaling/v2': () => import('kubernetes-models/autoscaling/v2'),
  'networking.k8s.io/v1': () => import('kubernetes-models/networking.k8s.io/v1'),
  // The optional objects from CRDs: the prometheus-operator's and the Gateway API's own schemas.
  'monitoring.coreos.com/v1': () => import('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'),
  'gateway.networking.k8s.io/v1': () => import('@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1'),
  'keda.sh/v1alpha1': () => import('@kubernetes-models/keda/keda.sh/v1alpha1'),
};

/**
 * Validates an object against the Kubernetes API's JSON schema for its apiVersion and kind
 * (kubernetes-models), throwing with the object's name and the failing path.
 */
export async function validateAgainstKubernetesSchema(object: K8sObject): Promise<void> {
  const load = modelModules[object.apiVersion];
  if (!load)
    throw new Error(`${object.kind}/${object.metadata.name}: no Kubernetes schema loaded for ${object.apiVersion}`);
  const Model = ((await load()) as ModelModule)[object.kind];
  if (!Model) throw new Error(`kubernetes-models has no ${object.kind} in ${object.apiVersion}`);
  try {
    new Model(object).validate();
  } catch (error) {
    throw new Error(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`, { cause: error });
  }
}

export function find<T = K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found)
    throw new Error(
      `no ${kind} named ${name} among: ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ')}`,
    );
  return found as T;
}

export function ofKind<T = K8sObject>(objects: K8sObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

/** True when every label of a selector's matchLabels is on the given labels. */
export function selects(
  matchLabels: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!matchLabels || Object.keys(matchLabels).length === 0) return false;
  return Object.entries(matchLabels).every(([key, value]) => labels?.[key] === value);
}
