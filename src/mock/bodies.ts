// Response bodies, built once per server so a request costs no serialisation (the mock is a benchmark target).

const FIRST_NAMES = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Radia", "Leslie"];

export interface MockBodies {
  health: string;
  users: string;
  checkout: string;
  summary: string;
  serverError: string;
  notFound: string;
}

export function buildBodies(): MockBodies {
  const users = FIRST_NAMES.map((name, i) => ({
    id: i + 1,
    name,
    email: `${name.toLowerCase()}@example.com`,
    active: i % 4 !== 3,
  }));
  // ~5 KB: a "heavy" endpoint should cost more bytes as well as more time.
  const days = Array.from({ length: 60 }, (_, i) => ({
    date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    orders: 100 + ((i * 37) % 50),
    revenue: Math.round((2500 + ((i * 613) % 900)) * 100) / 100,
    refunds: (i * 7) % 5,
    top_item: `widget-${(i % 12) + 1}`,
  }));
  return {
    health: JSON.stringify({ status: "ok" }),
    users: JSON.stringify({ users, total: users.length }),
    checkout: JSON.stringify({ status: "paid", order_id: "ord_000042", amount: 49.99, currency: "USD" }),
    summary: JSON.stringify({
      period: { from: days[0]!.date, to: days[days.length - 1]!.date },
      totals: {
        orders: days.reduce((n, d) => n + d.orders, 0),
        revenue: Math.round(days.reduce((n, d) => n + d.revenue, 0) * 100) / 100,
      },
      days,
    }),
    serverError: JSON.stringify({ error: "internal server error (injected by the mock)" }),
    notFound: JSON.stringify({ error: "not found" }),
  };
}

/** The 201 body of POST /api/orders: the order as sent (when it is JSON), with an id and a status. */
export function orderCreatedBody(id: number, requestText: string): string {
  let order: unknown = null;
  if (requestText !== "") {
    try {
      order = JSON.parse(requestText);
    } catch {
      order = requestText;
    }
  }
  return JSON.stringify({ id, status: "created", order });
}
