// @ts-check
// pod-logs.mjs: the pieces of the follower that do not need a cluster.
import { describe, expect, it } from 'vitest';
import { instancesOf, jsonStream, podPrefix, releaseSelector } from '../lib/pod-logs.mjs';

describe('jsonStream', () => {
  it('splits concatenated, indented JSON objects whatever the chunk boundaries', () => {
    const text = `{\n  "type": "ADDED",\n  "object": {"name": "a}\\"{", "list": [1, {"x": 2}]}\n}\n{"type":"DELETED","object":{}}\n`;
    for (const size of [1, 3, 7, text.length]) {
      /** @type {unknown[]} */
      const got = [];
      const s = jsonStream((v) => got.push(v));
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
      expect(got).toEqual([
        { type: 'ADDED', object: { name: 'a}"{', list: [1, { x: 2 }] } },
        { type: 'DELETED', object: {} },
      ]);
    }
  });
  it('skips text that is not JSON between the objects', () => {
    /** @type {unknown[]} */
    const got = [];
    const s = jsonStream((v) => got.push(v));
    s.push('Warning: something\n{"a":1}\n');
    expect(got).toEqual([{ a: 1 }]);
  });
});

describe('pods and prefixes', () => {
  it('shortens pod names: the ReplicaSet hash and the todo- prefix go', () => {
    expect(podPrefix('todo-backend-6d5f8c7b9-x2k4p', 'backend', false)).toBe('backend-x2k4p');
    expect(podPrefix('todo-postgres-0', 'postgres', false)).toBe('postgres-0');
    expect(podPrefix('todo-backend-6d5f8c7b9-x2k4p', 'migrate', true)).toBe('backend-x2k4p/migrate');
  });
  it('selects the pods of the releases, not their helm test pods', () => {
    expect(releaseSelector(['todo-backend', 'todo-frontend'])).toBe(
      'app.kubernetes.io/instance in (todo-backend,todo-frontend),app.kubernetes.io/component!=test',
    );
  });
  it('names the current instance of each container (running or finished) and the one before it', () => {
    const pod = {
      spec: { initContainers: [{ name: 'init' }], containers: [{ name: 'app' }] },
      status: {
        initContainerStatuses: [{ name: 'init', containerID: 'i1', state: { terminated: {} } }],
        containerStatuses: [
          {
            name: 'app',
            containerID: 'c2',
            restartCount: 1,
            state: { waiting: {} },
            lastState: { terminated: { containerID: 'c1' } },
          },
        ],
      },
    };
    expect(instancesOf(pod)).toEqual([
      { container: 'init', several: true, current: 'i1', previous: null },
      { container: 'app', several: true, current: null, previous: 'c1' },
    ]);
  });
});
