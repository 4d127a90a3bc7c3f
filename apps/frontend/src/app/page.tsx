import { redirect } from 'next/navigation';
import { AppShell } from '@/components/AppShell';
import { BackendUnavailable } from '@/components/BackendUnavailable';
import { chatUi } from '@/lib/server/chat-ui';
import { getSession } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const session = await getSession();
  if (session.kind === 'unavailable') return <BackendUnavailable />;
  if (session.kind === 'signed-out') redirect('/sign-in');
  return <AppShell user={session.user} chatUi={chatUi()} />;
}
