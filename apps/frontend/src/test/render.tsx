import { QueryClientProvider } from '@tanstack/react-query';
import { type RenderOptions, render as renderInDom } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createQueryClient } from '@/lib/query-client';

/** Testing Library's render inside a fresh query client (what AppShell provides in the app). */
export function render(ui: ReactElement, options: Omit<RenderOptions, 'wrapper'> = {}) {
  const client = createQueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderInDom(ui, { ...options, wrapper });
}
