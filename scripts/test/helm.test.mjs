// @ts-check
// helm.mjs: the helm upgrade command line.
import { describe, expect, it } from 'vitest';
import { resolveTarget } from '../lib/cluster.mjs';
import { versionIn } from '../lib/doctor/tools.mjs';
import { safetyFlags, upgradeArgs } from '../lib/helm.mjs';
import { useTempDirs } from './helpers.mjs';

const { cfgOf } = useTempDirs();

describe('helm', () => {
  it('parses versions and picks the safety flags by major', () => {
    expect(versionIn('v3.18.0+gcc58e3f')).toBe('3.18.0');
    expect(versionIn('kind v0.20.0 go1.20.4 linux/amd64')).toBe('0.20.0');
    expect(safetyFlags(3)).toEqual(['--wait', '--atomic']);
    expect(safetyFlags(4)).toEqual(['--wait=watcher', '--rollback-on-failure']);
  });
  it('builds the upgrade command with strings, JSON values and the values file', () => {
    const target = resolveTarget(cfgOf({}));
    const args = upgradeArgs({
      release: 'todo-backend',
      chartPath: 'charts/todo-backend',
      target,
      major: 3,
      timeout: '5m0s',
      digest: 'abc',
      set: { 'image.tag': '123456789012', trustedOrigins: ['http://a', 'http://b'], 'x.y': 'a,b' },
      valuesFiles: ['/tmp/v.json'],
    });
    expect(args.join(' ')).toBe(
      'upgrade --install todo-backend charts/todo-backend --kube-context minikube --namespace todo --create-namespace --wait --atomic --timeout 5m0s --history-max 10 --labels todo-deploy-digest=abc --values /tmp/v.json --set-string image.tag=123456789012 --set-json trustedOrigins=["http://a","http://b"] --set-string x.y=a\\,b',
    );
  });
});
