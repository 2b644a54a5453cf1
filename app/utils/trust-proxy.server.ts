import { isIP } from "node:net";

/**
 * Express's `trust proxy` as TRUST_PROXY sets it: off, a hop count, or the proxies' addresses. Sign-in
 * and sign-up throttling key on the address Express derives from it, so it must never trust a hop the
 * client controls. `true` would take the left-most X-Forwarded-For entry, which any client writes itself:
 * it is refused rather than guessed at (docs/decisions/0024-throttling-without-lockouts.md).
 */
export type TrustProxy = false | number | string;

export type TrustProxyParse = { ok: true; value: TrustProxy } | { ok: false; message: string };

const NAMED = new Set(["loopback", "linklocal", "uniquelocal"]);
const MAX_HOPS = 10;

export const TRUST_PROXY_TRUE =
  "TRUST_PROXY=true trusts every X-Forwarded-For entry, so any client could choose the address that sign-in throttling sees. " +
  "Set the number of proxies in front of the app instead (TRUST_PROXY=1 behind one load balancer), or their addresses (e.g. TRUST_PROXY=10.0.0.0/8).";

function isAddressOrSubnet(item: string): boolean {
  if (NAMED.has(item)) return true;
  const [address, bits, ...rest] = item.split("/");
  if (rest.length || !isIP(address)) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (isIP(address) === 4 ? 32 : 128);
}

export function parseTrustProxy(raw: string | undefined): TrustProxyParse {
  const value = raw?.trim() ?? "";
  if (value === "" || value === "false" || value === "0") return { ok: true, value: false };
  if (value === "true") return { ok: false, message: TRUST_PROXY_TRUE };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_HOPS) return { ok: false, message: `TRUST_PROXY=${value}: a hop count is the number of proxies in front of the app (1 to ${MAX_HOPS}).` };
    return { ok: true, value: hops };
  }
  const items = value.split(",").map((item) => item.trim());
  const bad = items.filter((item) => !isAddressOrSubnet(item));
  if (bad.length)
    return {
      ok: false,
      message: `TRUST_PROXY: "${bad.join('", "')}" is not a hop count, an IP address, a subnet (10.0.0.0/8) or one of loopback, linklocal, uniquelocal.`,
    };
  return { ok: true, value: items.join(", ") };
}
