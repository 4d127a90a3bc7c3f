import { defineConfig } from 'drizzle-kit';

// `pnpm --filter backend db:generate` writes SQL migrations into ./drizzle from the schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
});
