import { BlockList, isIP } from 'node:net';
import { TRUSTED_PROXY_NAMES, trustedProxiesProblem } from '#config';

/**
 * Express's `trust proxy` as a function: the socket's peer is trusted only when it is one of the listed
 * gateways, and then only for one hop. So `req.ip` is the address the gateway saw, and a client that talks
 * to the service directly, or puts its own `X-Forwarded-For` through the gateway, cannot choose it.
 */
export function trustOneHopFrom(spec: string): (address: string, hop: number) => boolean {
  const problem = trustedProxiesProblem(spec);
  if (problem) throw new Error(`Invalid trusted proxies: ${problem}`);
  const list = new BlockList();
  const parts = spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part && part !== 'none');
  for (const part of parts.flatMap((p) => TRUSTED_PROXY_NAMES[p] ?? [p])) {
    const [address, bits] = part.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (address, hop) => {
    if (hop !== 0 || !address) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return list.check(mapped[1]!, 'ipv4');
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
