// Network mode and Linux capability rules (FACTS.md): Fargate needs awsvpc and adds no
// capability but SYS_PTRACE; capabilities are ECS's names, written without CAP_.
import { childPath, indexPath, ROOT_PATH, type Violation } from '../model/violation';
import type { RegisterInput } from '../types';
import { isFargate, listOf, networkModeOf, type ContainerAt } from './task-view';

/** The values KernelCapabilities add/drop accept (ECS API reference; a test checks the model's docs). */
export const LINUX_CAPABILITIES = [
  'ALL', 'AUDIT_CONTROL', 'AUDIT_WRITE', 'BLOCK_SUSPEND', 'CHOWN', 'DAC_OVERRIDE', 'DAC_READ_SEARCH',
  'FOWNER', 'FSETID', 'IPC_LOCK', 'IPC_OWNER', 'KILL', 'LEASE', 'LINUX_IMMUTABLE', 'MAC_ADMIN',
  'MAC_OVERRIDE', 'MKNOD', 'NET_ADMIN', 'NET_BIND_SERVICE', 'NET_BROADCAST', 'NET_RAW', 'SETFCAP',
  'SETGID', 'SETPCAP', 'SETUID', 'SYS_ADMIN', 'SYS_BOOT', 'SYS_CHROOT', 'SYS_MODULE', 'SYS_NICE',
  'SYS_PACCT', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_RESOURCE', 'SYS_TIME', 'SYS_TTY_CONFIG', 'SYSLOG',
  'WAKE_ALARM',
] as const;
export const FARGATE_ADDABLE_CAPABILITIES: readonly string[] = ['SYS_PTRACE'];

const KNOWN: ReadonlySet<string> = new Set(LINUX_CAPABILITIES);
const CAP_PREFIX = /^cap_/i;

export function checkPlatform(input: RegisterInput, containers: ContainerAt[]): Violation[] {
  const out: Violation[] = [];
  const fargate = isFargate(input);
  const mode = networkModeOf(input);
  if (fargate && mode !== 'awsvpc') {
    const shown = input.networkMode === undefined ? 'absent (bridge)' : JSON.stringify(mode);
    out.push({
      path: childPath(ROOT_PATH, 'networkMode'),
      message: `Fargate (requiresCompatibilities contains FARGATE) requires networkMode awsvpc; networkMode is ${shown}`,
    });
  }
  for (const at of containers) {
    const capabilitiesPath = childPath(childPath(at.path, 'linuxParameters'), 'capabilities');
    const capabilities = at.container.linuxParameters?.capabilities;
    for (const field of ['add', 'drop'] as const) {
      listOf(capabilities?.[field]).forEach((capability, k) => {
        const path = indexPath(childPath(capabilitiesPath, field), k);
        out.push(...checkCapability(capability, path));
        if (fargate && field === 'add' && !FARGATE_ADDABLE_CAPABILITIES.includes(capability)) {
          out.push({ path, message: `Fargate allows adding only ${FARGATE_ADDABLE_CAPABILITIES.join(', ')}; got ${JSON.stringify(capability)}` });
        }
      });
    }
  }
  return out;
}

function checkCapability(capability: unknown, path: string): Violation[] {
  if (typeof capability !== 'string') return []; // the model validator reports the type
  if (CAP_PREFIX.test(capability)) {
    const bare = capability.slice(4).toUpperCase();
    return [{ path, message: `write capabilities without CAP_: ${JSON.stringify(bare)}, not ${JSON.stringify(capability)}` }];
  }
  if (!KNOWN.has(capability)) {
    return [{ path, message: `${JSON.stringify(capability)} is not a capability ECS accepts; allowed: ${LINUX_CAPABILITIES.join(', ')}` }];
  }
  return [];
}
