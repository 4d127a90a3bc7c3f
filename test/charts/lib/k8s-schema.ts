// Strict offline validation of rendered objects against the Kubernetes API schemas:
// kubernetes-models (JSON schemas of the OpenAPI spec: types, formats, required fields) plus an
// unknown-field walk over @kubernetes/client-node's generated type tables, since the JSON
// schemas accept additional properties and the API server would silently drop them.
import * as clientModels from '@kubernetes/client-node/dist/gen/models/all.js';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, PersistentVolumeClaim, Pod, Secret, Service } from 'kubernetes-models/v1';
import type { K8sObject } from './helm.js';

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: Record<string, unknown>) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment as unknown as ModelClass,
  'apps/v1/StatefulSet': StatefulSet as unknown as ModelClass,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler as unknown as ModelClass,
  'networking.k8s.io/v1/Ingress': Ingress as unknown as ModelClass,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy as unknown as ModelClass,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget as unknown as ModelClass,
  'v1/ConfigMap': ConfigMap as unknown as ModelClass,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim as unknown as ModelClass,
  'v1/Pod': Pod as unknown as ModelClass,
  'v1/Secret': Secret as unknown as ModelClass,
  'v1/Service': Service as unknown as ModelClass,
};

interface Attribute {
  baseName: string;
  type: string;
}
type TypeTable = { getAttributeTypeMap(): Attribute[] };
const TYPES = clientModels as unknown as Record<string, TypeTable | undefined>;

/** `apps/v1` + `Deployment` → `V1Deployment`, `autoscaling/v2` → `V2…`. */
function clientTypeName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').at(-1) ?? '';
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

const MAP_PREFIX = '{ [key: string]: ';
/** Maps whose values are resource quantities, which the API accepts as strings or numbers. */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'capacity', 'hard']);

function walk(value: unknown, type: string, where: string, errors: string[], parentKey = ''): void {
  if (value === null || value === undefined) return;
  if (type.startsWith('Array<')) {
    if (!Array.isArray(value)) {
      errors.push(`${where}: expected a list`);
      return;
    }
    const inner = type.slice('Array<'.length, -1);
    value.forEach((item, i) => {
      walk(item, inner, `${where}[${i}]`, errors);
    });
    return;
  }
  if (type.startsWith(MAP_PREFIX)) {
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push(`${where}: expected a map`);
      return;
    }
    const inner = type.slice(MAP_PREFIX.length, type.lastIndexOf(';')).trim();
    for (const [k, v] of Object.entries(value)) {
      if (inner === 'string' && QUANTITY_MAPS.has(parentKey) && typeof v === 'number') continue;
      walk(v, inner, `${where}.${k}`, errors);
    }
    return;
  }
  switch (type) {
    case 'string':
    case 'Date':
      if (typeof value !== 'string') errors.push(`${where}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number') errors.push(`${where}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        errors.push(`${where}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'IntOrString':
      if (typeof value !== 'string' && typeof value !== 'number')
        errors.push(`${where}: expected int or string`);
      return;
    case 'any':
    case 'object':
      return;
  }
  const table = TYPES[type];
  if (!table || typeof table.getAttributeTypeMap !== 'function') {
    errors.push(`${where}: no type table for ${type}`);
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${where}: expected an object (${type})`);
    return;
  }
  const attributes = table.getAttributeTypeMap();
  for (const [key, child] of Object.entries(value)) {
    const attribute = attributes.find((a) => a.baseName === key);
    if (!attribute) {
      errors.push(`${where}.${key}: unknown field of ${type}`);
      continue;
    }
    walk(child, attribute.type, `${where}.${key}`, errors, key);
  }
}

/** Returns the problems found in one object (empty when valid). */
export function validateObject(obj: K8sObject): string[] {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  const Model = MODELS[`${obj.apiVersion}/${obj.kind}`];
  if (!Model) return [`${id}: no schema for ${obj.apiVersion} ${obj.kind}`];
  const errors: string[] = [];
  try {
    new Model(obj as unknown as Record<string, unknown>).validate();
  } catch (error) {
    errors.push(`${id}: ${(error as Error).message}`);
  }
  walk(obj, clientTypeName(obj.apiVersion, obj.kind), id, errors);
  return errors;
}
