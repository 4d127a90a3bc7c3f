import type { DbVariant } from './db.js';

export const pgliteVariant: DbVariant = {
  name: 'pglite',
  async create() {
    return { url: 'pglite:memory', drop: async () => {} };
  },
};
