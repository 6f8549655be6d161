// Discovery's public face: parse --agents/--discover, watch static, DNS and mDNS sources, advertise an agent.
export type { AgentSource, DiscoveredAgent, Discovery, DiscoverySourceKind } from "./types.ts";
export { parseAgentsFlag, parseDiscoverFlag } from "./parse.ts";
export { createDiscovery, type DiscoveryOptions } from "./discovery.ts";
export { createStaticDiscovery } from "./static.ts";
export { createDnsDiscovery, type DnsDiscoveryOptions } from "./dns.ts";
export { createMdnsDiscovery, agentFromService, pickAddress, type MdnsDiscoveryOptions } from "./mdns.ts";
export { advertiseAgent, type AdvertiseOptions, type Advertisement } from "./advertise.ts";
export { SERVICE_TYPE } from "./mdns-socket.ts";
export { joinHostPort } from "./agent-list.ts";
