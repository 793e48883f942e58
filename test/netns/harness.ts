// Emulates a bridge-mode ECS host with Linux network namespaces (no Docker): a host namespace
// with a bridge, one namespace per container, a Lattice namespace and a fake task metadata
// endpoint. Containers run the REAL kit (built by sidecar-image/kit/build) chrooted into a
// read-only root that holds only the kit and the test program.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KIT_DIR, SIDECAR_ENV, SIDECAR_PORT, KIT_OPTIONAL_ENV } from '../../functions/engine/constants.js';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '../..');
const tmp = join(repo, '.netns-tmp');
const fixtures = join(here, 'fixtures');
const hostEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

/** Root, iproute2, iptables and a C compiler: installs what is missing when run as root. */
export function netnsAvailable(): boolean {
  if (process.getuid?.() !== 0) {
    const line = 'SKIPPED: test/netns needs root (network namespaces, iptables); run `npm test` as root';
    console.warn(`\n${'='.repeat(line.length)}\n${line}\n${'='.repeat(line.length)}\n`);
    if (process.env.CI === 'true') throw new Error(`CI=true and ${line}`);
    return false;
  }
  ensurePackages();
  return true;
}

function has(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore', env: hostEnv });
    return true;
  } catch {
    return false;
  }
}

function ensurePackages(): void {
  const needed: string[] = [];
  if (!has('ip')) needed.push('iproute2');
  if (!has('iptables-nft') || !has('iptables-legacy')) needed.push('iptables');
  if (!has('gcc') || !existsSync('/usr/lib/x86_64-linux-gnu/libc.a') && !existsSync('/usr/lib/aarch64-linux-gnu/libc.a')) {
    needed.push('gcc', 'libc6-dev');
  }
  if (!has('setpriv') || !has('unshare')) needed.push('util-linux');
  if (needed.length === 0) return;
  console.warn(`test/netns: installing Debian packages: ${needed.join(' ')}`);
  execFileSync('sh', ['-c', `flock /tmp/sigv4-sidecar-apt.lock sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends ${needed.join(' ')}'`], {
    stdio: 'inherit',
    env: { ...hostEnv, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 300_000,
  });
}

function sourcesHash(paths: string[]): string {
  const h = createHash('sha256');
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) {
      for (const e of readdirSync(p).sort()) walk(join(p, e));
    } else {
      h.update(p).update(readFileSync(p));
    }
  };
  paths.forEach(walk);
  return h.digest('hex').slice(0, 16);
}

/** The kit, built once per content of sidecar-image/kit (shared by parallel test files). */
export function buildKit(): string {
  mkdirSync(tmp, { recursive: true });
  const kitSrc = join(repo, 'sidecar-image/kit');
  const dest = join(tmp, `kit-${sourcesHash([kitSrc])}`);
  // Under the lock: build when missing (apt-get update once if the package lists are stale),
  // and drop kits of older sources.
  const script = [
    `[ -f '${dest}/bootstrap' ] || { sidecar-image/kit/build '${dest}.new' || { apt-get update -q >/dev/null && sidecar-image/kit/build '${dest}.new'; }; }`,
    `{ [ -f '${dest}/bootstrap' ] || mv '${dest}.new' '${dest}'; }`,
    `for k in '${tmp}'/kit-*; do [ "$k" = '${dest}' ] || rm -rf "$k"; done`,
  ].join(' && ');
  execFileSync('flock', [join(tmp, 'kit.lock'), 'sh', '-c', script], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], env: hostEnv, timeout: 180_000 });
  return dest;
}

/**
 * The test program, a static binary (the app image has no libc of its own), and next to it
 * (`<probe>.preload.so`) a shared object that makes any dynamic program loading it exit 99.
 */
export function buildProbe(): string {
  mkdirSync(tmp, { recursive: true });
  const src = join(fixtures, 'probe.c');
  const preload = join(fixtures, 'preload-exit.c');
  const out = join(tmp, `probe-${sourcesHash([src, preload])}`);
  if (!existsSync(out)) {
    execFileSync('gcc', ['-shared', '-fPIC', '-O1', '-o', `${out}.preload.so`, preload], { env: hostEnv, timeout: 60_000 });
    execFileSync('gcc', ['-static', '-O1', '-o', `${out}.new`, src], { env: hostEnv, timeout: 60_000 });
    execFileSync('mv', [`${out}.new`, out]);
  }
  return out;
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs argv to completion, killing it after timeoutMs. Never throws on a non-zero exit. */
export function run(argv: string[], opts: { env?: Record<string, string>; timeoutMs?: number; input?: string } = {}): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env: opts.env ?? hostEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${opts.timeoutMs ?? 20_000} ms: ${argv.join(' ')}\n${stderr}`));
    }, opts.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A long-running process that prints READY when it serves. */
export interface Service {
  child: ChildProcess;
  output: () => string;
  send: (line: string) => Promise<void>;
}

function startService(argv: string[], env: Record<string, string>, timeoutMs = 10_000): Promise<Service> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let waiting: (() => void) | undefined;
    const service: Service = {
      child,
      output: () => out,
      send: (line) =>
        new Promise((ok, fail) => {
          const t = setTimeout(() => fail(new Error(`no UPDATED from ${argv.join(' ')}`)), 5_000);
          waiting = () => {
            clearTimeout(t);
            ok();
          };
          child.stdin.write(`${line}\n`);
        }),
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not READY within ${timeoutMs} ms: ${argv.join(' ')}\n${out}`));
    }, timeoutMs);
    const onData = (d: Buffer): void => {
      out += d.toString();
      if (out.includes('UPDATED') && waiting) {
        out = out.replaceAll('UPDATED', 'updated');
        const w = waiting;
        waiting = undefined;
        w();
      }
      if (out.includes('READY')) {
        clearTimeout(timer);
        resolvePromise(service);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before READY: ${argv.join(' ')}\n${out}`));
    });
  });
}

const NS = ['host', 'app', 'app2', 'sidecar', 'intruder', 'lattice', 'task'] as const;
export type Ns = (typeof NS)[number];

/** Addresses of the emulated host (TEST-NET ranges; Lattice's own ranges inside `lattice`). */
export const addr = {
  app: { v4: '198.18.0.10', v6: '2001:db8:18::10' },
  app2: { v4: '198.18.0.11', v6: '2001:db8:18::11' },
  sidecar: { v4: '198.18.0.20', v6: '2001:db8:18::20' },
  intruder: { v4: '198.18.0.30', v6: '2001:db8:18::30' },
  task: { v4: '198.18.0.40', v6: '2001:db8:18::40' },
  lattice: { v4: '169.254.171.10', v6: 'fd00:ec2:80::10', transit: '198.18.1.2' },
} as const;

export interface ContainerSpec {
  root: string;
  env: Record<string, string>;
  argv: string[];
  /** Capabilities added on top of Docker's default set, e.g. ['net_admin']. */
  addCaps?: string[];
  /**
   * Capabilities removed from Docker's default set before addCaps apply, e.g. ['all'] for
   * Docker's drop ALL. The chroot itself needs SYS_CHROOT, so they are applied inside the root,
   * right before argv, by the host's setpriv: needs hostUsr.
   */
  dropCaps?: string[];
  /** The sidecar's root gets the host's /usr (the Envoy image has a libc; the stand-in is node). */
  hostUsr?: boolean;
}

export class Topology {
  readonly id = randomBytes(3).toString('hex');
  readonly dir = join(tmp, `run-${this.id}`);
  private services: Service[] = [];

  ns(name: Ns): string {
    return `s4s-${this.id}-${name}`;
  }

  private async sh(script: string): Promise<void> {
    const r = await run(['sh', '-ec', script], { timeoutMs: 20_000 });
    if (r.code !== 0) throw new Error(`setup failed (${r.code}): ${r.stderr}\n${script}`);
  }

  async up(): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const n = (x: Ns): string => this.ns(x);
    const lines: string[] = [];
    for (const x of NS) lines.push(`ip netns add ${n(x)}`, `ip -n ${n(x)} link set lo up`);
    const h = `ip -n ${n('host')}`;
    lines.push(
      `${h} link add br0 type bridge`,
      `${h} link set br0 up`,
      `${h} addr add 198.18.0.1/24 dev br0`,
      `${h} addr add 2001:db8:18::1/64 dev br0 nodad`,
      `ip netns exec ${n('host')} sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1`,
      `${h} addr add 169.254.170.2/32 dev lo`,
      `${h} addr add 169.254.169.254/32 dev lo`,
    );
    for (const c of ['app', 'app2', 'sidecar', 'intruder', 'task'] as const) {
      lines.push(
        `ip -n ${n('host')} link add v-${c} type veth peer name eth0 netns ${n(c)}`,
        `${h} link set v-${c} master br0 up`,
        `ip -n ${n(c)} link set eth0 up`,
        `ip -n ${n(c)} addr add ${addr[c].v4}/24 dev eth0`,
        `ip -n ${n(c)} addr add ${addr[c].v6}/64 dev eth0 nodad`,
        `ip -n ${n(c)} route add default via 198.18.0.1`,
        `ip -n ${n(c)} -6 route add default via 2001:db8:18::1`,
      );
    }
    const l = `ip -n ${n('lattice')}`;
    lines.push(
      `${h} link add v-lattice type veth peer name eth0 netns ${n('lattice')}`,
      `${h} link set v-lattice up`,
      `${h} addr add 198.18.1.1/30 dev v-lattice`,
      `${h} addr add 2001:db8:19::1/64 dev v-lattice nodad`,
      `${l} link set eth0 up`,
      `${l} addr add ${addr.lattice.transit}/30 dev eth0`,
      `${l} addr add 2001:db8:19::2/64 dev eth0 nodad`,
      `${l} addr add ${addr.lattice.v4}/32 dev lo`,
      `${l} addr add ${addr.lattice.v6}/128 dev lo nodad`,
      `${l} route add default via 198.18.1.1`,
      `${l} -6 route add default via 2001:db8:19::1`,
      `${h} route add 169.254.171.0/24 via ${addr.lattice.transit}`,
      `${h} -6 route add fd00:ec2:80::/64 via 2001:db8:19::2`,
    );
    await this.sh(lines.join('\n'));
  }

  /** Kills every process left in our namespaces, deletes them and the roots. Never throws. */
  async down(): Promise<void> {
    for (const s of this.services) s.child.kill('SIGKILL');
    const n = NS.map((x) => this.ns(x)).join(' ');
    await run(['sh', '-c', `for ns in ${n}; do pids=$(ip netns pids $ns 2>/dev/null); [ -z "$pids" ] || kill -9 $pids; done; sleep 0.2; for ns in ${n}; do ip netns del $ns 2>/dev/null; done; true`], {
      timeoutMs: 15_000,
    }).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  exec(ns: Ns, argv: string[], timeoutMs = 15_000): Promise<Result> {
    return run(['ip', 'netns', 'exec', this.ns(ns), ...argv], { timeoutMs });
  }

  async service(ns: Ns, argv: string[], timeoutMs?: number): Promise<Service> {
    const s = await startService(['ip', 'netns', 'exec', this.ns(ns), ...argv], hostEnv, timeoutMs);
    this.services.push(s);
    return s;
  }

  /** Lattice stand-in on 80, 443 and 8080; task metadata and IMDS stand-ins in the host. */
  async startFixtures(): Promise<Service> {
    await this.service('lattice', ['node', join(fixtures, 'agent.mjs'), 'lattice', '80', '443', '8080']);
    return this.service('host', ['node', join(fixtures, 'agent.mjs'), 'metadata']);
  }

  /** up(), the fixtures, and task metadata serving `doc`. */
  async upWithMetadata(doc: string): Promise<Service> {
    await this.up();
    const metadata = await this.startFixtures();
    await metadata.send(doc);
    return metadata;
  }

  /** A sidecar container running the REAL entrypoint, the Envoy stand-in behind it. */
  startSidecar(ns: Ns, root: string, env: Record<string, string>, addCaps = ['net_admin']): Promise<Service> {
    return this.startContainer(ns, { root, env, argv: [`${KIT_DIR}/entrypoint`], addCaps, hostUsr: true });
  }

  /** HTTP requests from inside a namespace (outside any chroot: the rules are per namespace). */
  async request(ns: Ns, requests: { url: string; host?: string; timeoutMs?: number }[]): Promise<RequestResult[]> {
    const r = await this.exec(ns, ['node', join(fixtures, 'agent.mjs'), 'request', JSON.stringify(requests)], 30_000);
    if (r.code !== 0) throw new Error(`request failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as RequestResult[];
  }

  /** A container root: the kit at KIT_DIR, the probe at /app/probe (and the hostile preload), /etc/passwd and /etc/group. */
  makeRoot(name: string, kit: string, probe: string, opts: { sidecar?: boolean; removeFromKit?: string[] } = {}): string {
    const root = join(this.dir, name);
    for (const d of ['dev', 'proc', 'tmp', 'etc', 'app']) mkdirSync(join(root, d), { recursive: true });
    cpSync(kit, join(root, KIT_DIR), { recursive: true, verbatimSymlinks: true });
    for (const f of opts.removeFromKit ?? []) rmSync(join(root, KIT_DIR, f));
    cpSync(probe, join(root, 'app/probe'));
    cpSync(`${probe}.preload.so`, join(root, 'app/preload-exit99.so'));
    execFileSync('chmod', ['0755', join(root, 'app/probe')]);
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/nonexistent\napp:x:1000:1000:app:/home/app:/nonexistent\nenvoy:x:101:101::/home/envoy:/nonexistent\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\napp:x:1000:\nmetrics:x:1500:app\nenvoy:x:101:\n');
    if (opts.sidecar) {
      for (const d of ['usr/bin', 'usr/lib', 'usr/lib64', 'usr/share', 'usr/local/bin', 'fixtures', 'etc/ssl/certs']) {
        mkdirSync(join(root, d), { recursive: true });
      }
      cpSync(join(fixtures, 'agent.mjs'), join(root, 'fixtures/agent.mjs'));
      writeFileSync(
        join(root, 'usr/local/bin/envoy'),
        "#!/usr/bin/node\nimport('/fixtures/agent.mjs').then((m) => m.main(['envoy', ...process.argv.slice(2)]));\n",
        { mode: 0o755 },
      );
      writeFileSync(join(root, 'etc/ssl/certs/ca-certificates.crt'), '# system CA bundle stand-in\n');
      for (const l of ['lib', 'lib64']) execFileSync('ln', ['-s', `usr/${l}`, join(root, l)]);
    }
    return root;
  }

  private containerArgv(spec: ContainerSpec): string[] {
    const caps = (spec.addCaps ?? []).map((c) => `+${c}`).join(',');
    let argv = spec.argv;
    if (spec.dropCaps?.length) {
      if (!spec.hostUsr) throw new Error('dropCaps needs hostUsr (the host setpriv applies them inside the root)');
      const bounding = [...spec.dropCaps.map((c) => `-${c}`), ...(spec.addCaps ?? []).map((c) => `+${c}`)].join(',');
      argv = ['/usr/bin/setpriv', `--bounding-set=${bounding}`, '--inh-caps=-all', '--', ...spec.argv];
    }
    const env = Object.entries(spec.env).map(([k, v]) => `${k}=${v}`);
    return [
      'ip', 'netns', 'exec', '', // namespace filled in by the caller
      // Own mount and PID namespaces, like a container: its first process is PID 1, and killing
      // the container (SIGKILL to unshare) takes every process of it along.
      'unshare', '-m', '-p', '--fork', '--kill-child', 'sh', join(fixtures, 'container.sh'), spec.root, caps, spec.hostUsr ? '1' : '0', '--',
      // Inside the root, the kit's static busybox sets the exact environment (as Docker would);
      // a dynamic host `env` or `chroot` would itself react to the container's LD_PRELOAD.
      '/usr/sbin/chroot', spec.root, `${KIT_DIR}/bin/busybox`, 'env', '-i', ...env, ...argv,
    ];
  }

  /** Runs a container to completion. */
  runContainer(ns: Ns, spec: ContainerSpec, timeoutMs = 20_000): Promise<Result> {
    const argv = this.containerArgv(spec);
    argv[3] = this.ns(ns);
    return run(argv, { timeoutMs });
  }

  /** Starts a long-running container (the sidecar) and waits for its READY line. */
  async startContainer(ns: Ns, spec: ContainerSpec, timeoutMs = 15_000): Promise<Service> {
    const argv = this.containerArgv(spec);
    argv[3] = this.ns(ns);
    const s = await startService(argv, hostEnv, timeoutMs);
    this.services.push(s);
    return s;
  }

  /** Host pid of a container's PID 1 (the child of its `unshare`). */
  containerInit(s: Service): number {
    const pid = s.child.pid!;
    return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]);
  }

  /** Kills a container as Docker does: SIGKILL to its PID 1 ends its whole PID namespace. */
  stop(s: Service): Promise<void> {
    return new Promise((ok) => {
      if (s.child.exitCode !== null || s.child.signalCode !== null) return ok();
      s.child.once('close', () => ok());
      try {
        process.kill(this.containerInit(s), 'SIGKILL');
      } catch {
        s.child.kill('SIGKILL'); // not a container, or its init already gone
      }
    });
  }
}

export interface RequestResult {
  url: string;
  status?: number;
  error?: string;
  body?: { who?: string; host?: string; port?: number; path?: string; remote?: string } & Record<string, unknown>;
}

/** Task metadata v4 with the given containers. */
export function taskDoc(containers: { name: string; status?: string; networks?: unknown }[]): string {
  return JSON.stringify({
    Cluster: 'test',
    TaskARN: 'arn:aws:ecs:eu-west-1:111122223333:task/test/0123456789',
    Containers: containers.map((c) => ({
      Name: c.name,
      DockerName: `ecs-test-${c.name}`,
      KnownStatus: c.status ?? 'RUNNING',
      ...(c.networks === undefined ? {} : { Networks: c.networks }),
    })),
  });
}

export function bridgeNet(v4: unknown[], v6?: unknown[]): unknown[] {
  return [{ NetworkMode: 'bridge', IPv4Addresses: v4, ...(v6 ? { IPv6Addresses: v6 } : {}) }];
}

/** The sidecar environment the engine sets in bridge transparent mode, plus the task's own. */
export const sidecarEnv = (clients: string): Record<string, string> => ({
  [SIDECAR_ENV.mode]: 'transparent',
  [SIDECAR_ENV.networkMode]: 'bridge',
  [SIDECAR_ENV.region]: 'eu-west-1',
  [SIDECAR_ENV.signing]: 'sigv4',
  [SIDECAR_ENV.logLevel]: 'info',
  [SIDECAR_ENV.port]: String(SIDECAR_PORT),
  [SIDECAR_ENV.clients]: clients,
  [KIT_OPTIONAL_ENV.waitSeconds]: '20',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/00000000-task-role',
  ECS_CONTAINER_METADATA_URI_V4: 'http://169.254.170.2/v4/sidecar-id',
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
});

/** What the static probe program reports about itself from inside a container. */
export interface ProbeReport {
  argv: string[];
  env: string[];
  uid: number;
  gid: number;
  groups: number[];
  status: Record<string, string>;
}

/** Whether capability `bit` is set in a /proc/<pid>/status mask (hex). */
export function hasCap(mask: string | undefined, bit: number): boolean {
  return ((BigInt(`0x${mask ?? '0'}`) >> BigInt(bit)) & 1n) === 1n;
}
