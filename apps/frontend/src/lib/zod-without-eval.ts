import { z } from 'zod';

// Imported for its effect, before anything builds a zod schema (the @todo/contracts ones): the
// pages' CSP has no 'unsafe-eval', and zod would otherwise probe for `new Function` to compile
// faster parsers. The probe is caught, but the browser still reports it as a CSP violation.
z.config({ jitless: true });
