// An ordinary application with no sidecar wiring: it calls the URL in TARGET_URL every
// INTERVAL_SECONDS and logs one JSON line per call with the status and the latency. Plain
// HTTP to a Lattice name; signing happens outside the app (transparent interception), or
// through HTTP_PROXY when the task uses proxy mode.
import http from 'node:http';

const target = new URL(process.env.TARGET_URL ?? '');
const intervalMs = Number(process.env.INTERVAL_SECONDS ?? '5') * 1000;
const maxRequests = Number(process.env.MAX_REQUESTS ?? '0'); // 0: forever
const timeoutMs = 10_000;

if (target.protocol !== 'http:') {
  console.error(JSON.stringify({ level: 'error', msg: 'TARGET_URL must be an http:// URL', value: process.env.TARGET_URL ?? null }));
  process.exit(2);
}

/** HTTP_PROXY unless NO_PROXY lists the host (exact, or a `.domain` suffix). */
function proxyFor(url) {
  const proxy = process.env.HTTP_PROXY ?? process.env.http_proxy;
  if (!proxy) return undefined;
  const noProxy = (process.env.NO_PROXY ?? process.env.no_proxy ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const host = url.hostname;
  if (noProxy.some((n) => n === '*' || host === n || (n.startsWith('.') && host.endsWith(n)))) return undefined;
  return new URL(proxy);
}

function call() {
  const started = process.hrtime.bigint();
  const proxy = proxyFor(target);
  const options = proxy
    ? { host: proxy.hostname, port: proxy.port || 80, path: target.href, headers: { host: target.host } }
    : { host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}` };
  return new Promise((resolve) => {
    const log = (fields) => {
      const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(JSON.stringify({ time: new Date().toISOString(), url: target.href, via: proxy ? 'proxy' : 'direct', latencyMs: Math.round(latencyMs * 10) / 10, ...fields }));
      resolve();
    };
    const req = http.get({ ...options, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => log({ status: res.statusCode }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => log({ error: e.code ?? e.message }));
  });
}

// PID 1 in its container: stop at once on ECS's SIGTERM.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));

for (let n = 1; maxRequests === 0 || n <= maxRequests; n++) {
  if (n > 1) await new Promise((r) => setTimeout(r, intervalMs));
  await call();
}
