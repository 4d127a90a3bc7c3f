/**
 * Open-loop load at a constant arrival rate (the wrk2 / k6 "constant-arrival-rate" model):
 * request i is due at start + i / rate whether or not earlier ones have finished, and its latency
 * counts from that due time. A server that stalls therefore shows the stall in every request that
 * waited behind it (no coordinated omission). autocannon's `overallRate` is not used for this: it
 * lets each connection send its whole per-second quota back to back at the start of every second.
 */
import http from 'node:http';

export interface OpenLoopOptions {
  url: string;
  headers?: Record<string, string>;
  /** Requests per second. */
  rate: number;
  durationS: number;
  /** Upper bound of concurrent keep-alive connections. */
  connections: number;
}

export interface OpenLoopResult {
  sent: number;
  completed: number;
  non2xx: number;
  errors: number;
  /** Achieved completions per second over the phase. */
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const target = new URL(o.url);
  const total = Math.round(o.rate * o.durationS);
  const latencies = new Float64Array(total);
  let sent = 0;
  let completed = 0;
  let non2xx = 0;
  let errors = 0;
  const start = performance.now();
  const interval = 1000 / o.rate;

  const fire = (due: number, index: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          agent,
          headers: o.headers,
        },
        (res) => {
          res.on('data', () => {});
          res.on('end', () => {
            latencies[index] = performance.now() - due;
            completed++;
            if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) >= 300) non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        latencies[index] = performance.now() - due;
        errors++;
        resolve();
      });
      req.end();
    });

  const inFlight: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) {
        inFlight.push(fire(start + sent * interval, sent));
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
  return {
    sent,
    completed,
    non2xx,
    errors,
    rps: completed / elapsedS,
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: sorted.at(-1) ?? 0,
  };
}
