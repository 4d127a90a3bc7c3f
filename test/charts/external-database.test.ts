// The external database's CA is only meaningful with an external database: the chart refuses a CA
// without database.url or database.existingSecret in plain words (Helm 3 and Helm 4).
import { describe, expect, it } from 'vitest';
import { HELMS, template } from './lib/helm.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

for (const h of HELMS.filter((x) => x.available)) {
  describe(`${h.label}: todo-backend database.tls`, () => {
    it('refuses a CA for the in-cluster database', async () => {
      const r = await template(h, 'todo-backend', { database: { tls: { caCert: CA } } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(
        'database.tls.caCert and database.tls.existingConfigMap are for an external database',
      );
    });
  });
}
