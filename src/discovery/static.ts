// Static agents: exactly the addresses given, identified by address until the controller asks them.
import { createAgentList } from "./agent-list.ts";
import type { Discovery } from "./types.ts";

export function createStaticDiscovery(addresses: readonly string[]): Discovery {
  const list = createAgentList();
  return {
    start: async () => {
      list.set(addresses.map((address) => ({ id: address, address, source: "static" })));
    },
    agents: () => list.get(),
    onChange: (listener) => list.onChange(listener),
    stop: async () => {},
  };
}
