// Cases the two charts with a Deployment (todo-backend, todo-frontend) share.
import { expect } from 'vitest';
import type { RenderCase } from '../matrix.js';
import { find, get, mainContainer } from '../objects.js';

/** replicaCount reaches the Deployment; a pinned image and pull policy its container and the test pod. */
export function replicasAndImage(repository: string, tag: string, pullPolicy: string): RenderCase {
  const image = `${repository}:${tag}`;
  return {
    name: '3 replicas',
    values: { replicaCount: 3, image: { repository, tag, pullPolicy } },
    check: (o) => {
      expect(get(find(o, 'Deployment'), 'spec', 'replicas')).toBe(3);
      expect(mainContainer(o)).toMatchObject({ image, imagePullPolicy: pullPolicy });
      expect(get(find(o, 'Pod'), 'spec', 'containers', 0, 'image')).toBe(image);
    },
  };
}
