// Loopback helpers of the backend's tests and bench (Node built-ins only: tls-postgres.ts, which
// the test workspace reuses, imports it). The scripts have their own in scripts/lib/net.mjs, which
// the backend does not depend on (its image is built from its own workspace dependencies).
import net from 'node:net';

/** A free TCP port on `host`, asked from the kernel. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
