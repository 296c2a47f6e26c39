/**
 * The delivery engine (issue 12): one event to BENCH_DELIVERY_EMAILS email subscribers (a local
 * SMTP sink, `smtp-server`) and BENCH_DELIVERY_WEBHOOKS webhook endpoints (distinct URLs on local
 * HTTP receivers), subscribers seeded in SQL. Measures the time until every delivery is enqueued
 * (delivery rows + jobs committed by the outbox consumer), until every mail and POST arrived, and
 * setServiceStatus's latency with no subscribers beside the same with them:
 *
 * - "another service": every subscriber follows a service the mutation does not touch, so the
 *   outbox consumer matches each event against all of them and delivers nothing (the write path and
 *   the matching, without the sending);
 * - the fan-out mutation itself (one sample: the event that is then delivered to all of them);
 * - during delivery: mutations while the engine sends (same machine: they share its CPUs).
 */
import http from "node:http";
import pg from "pg";
import { SMTPServer } from "smtp-server";
import {
  type BenchDatabase,
  envInt,
  fmt,
  gql,
  login,
  percentile,
  printSection,
  type Row,
  ratio,
  SET_STATUS,
  type Seeded,
  STATUSES,
  startBeaconChild,
} from "./kit";

/** Counts mails by Message-ID (the delivery id): a copy sent twice counts once. */
class SmtpSink {
  readonly ids = new Set<string>();
  received = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData: (stream, _session, callback) => {
      let head = "";
      stream.on("data", (c: Buffer) => {
        if (head.length < 8192) head += c.toString("latin1");
      });
      stream.on("end", () => {
        this.received++;
        const id = /^message-id:\s*(\S+)/im.exec(head)?.[1];
        if (id) this.ids.add(id);
        callback();
      });
    },
  });

  async start(): Promise<string> {
    this.server.on("error", () => {});
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", () => r()));
    return `smtp://127.0.0.1:${(this.server.server.address() as { port: number }).port}`;
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

/** HTTP receivers answering 204, counting distinct webhook-ids. */
class Receivers {
  readonly ids = new Set<string>();
  received = 0;
  private readonly servers: http.Server[] = [];
  readonly ports: number[] = [];

  async start(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const server = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          this.received++;
          const id = req.headers["webhook-id"];
          if (typeof id === "string") this.ids.add(id);
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      this.servers.push(server);
      this.ports.push((server.address() as { port: number }).port);
    }
  }

  async stop(): Promise<void> {
    for (const s of this.servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }
}

/** A count as people write it (fmt gives small numbers a decimal). */
const n = (x: number) => x.toLocaleString("en-US");

export async function runDeliveryBench(db: BenchDatabase, seeded: Seeded): Promise<Row[]> {
  const emails = envInt("BENCH_DELIVERY_EMAILS", 10_000);
  const webhooks = envInt("BENCH_DELIVERY_WEBHOOKS", 1_000);
  const samples = envInt("BENCH_DELIVERY_MUTATIONS", 30);
  const limitS = envInt("BENCH_DELIVERY_TIMEOUT_SECONDS", 900);
  console.log(
    `\ndelivery: one event to ${n(emails)} email subscribers and ${n(webhooks)} webhook endpoints; ${samples} sequential setServiceStatus per latency figure (none and with subscribers: 3 alternating rounds)`,
  );
  const sink = new SmtpSink();
  const receivers = new Receivers();
  const smtpUrl = await sink.start();
  await receivers.start(4);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  const beacon = await startBeaconChild(db.url, {
    SMTP_URL: smtpUrl,
    PUBLIC_URL: "http://status.bench",
    BEACON_WEBHOOK_ALLOW_PRIVATE: "1",
    BEACON_JOB_POLL_SECONDS: "1",
  });
  const [followed, other] = [seeded.serviceIds[0], seeded.serviceIds[3]];
  let step = 0;
  try {
    const token = await login(beacon.url);
    const setStatus = async (serviceId: string | undefined) => {
      const t0 = performance.now();
      await gql(beacon.url, token, SET_STATUS, { id: serviceId, s: STATUSES[step++ % STATUSES.length] });
      return performance.now() - t0;
    };
    const latencies = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(await setStatus(other));
      return out.sort((a, b) => a - b);
    };
    await latencies(Math.min(10, samples)); // warm-up
    const seed = async () => {
      await sql.query(
        `INSERT INTO update_subscription (channel, target, confirmed, since_seq, service_ids)
         SELECT 'EMAIL', 'bench' || g || '@example.com', true, (SELECT value FROM counter WHERE name = 'event'), ARRAY[$2::uuid]
         FROM generate_series(1, $1::int) g`,
        [emails, followed],
      );
      await sql.query(
        `INSERT INTO update_subscription (channel, target, confirmed, since_seq, service_ids, secret)
         SELECT 'WEBHOOK', 'http://127.0.0.1:' || ($3::int[])[1 + g % cardinality($3::int[])] || '/hook/' || g, true,
                (SELECT value FROM counter WHERE name = 'event'), ARRAY[$2::uuid], 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
         FROM generate_series(1, $1::int) g`,
        [webhooks, followed, receivers.ports],
      );
    };
    // None and with subscribers in alternating rounds: this machine's load drifts over a run, and
    // rounds side by side share the drift instead of putting it between the two figures.
    const rounds = 3;
    const per = Math.max(1, Math.round(samples / rounds));
    const noneAll: number[] = [];
    const idleAll: number[] = [];
    for (let r = 0; r < rounds; r++) {
      noneAll.push(...(await latencies(per)));
      const t0 = performance.now();
      await seed();
      if (r === 0)
        console.log(
          `  seeded ${n(emails + webhooks)} subscriptions in ${fmt(performance.now() - t0)} ms (SQL)`,
        );
      idleAll.push(...(await latencies(per)));
      if (r < rounds - 1) await sql.query("DELETE FROM update_subscription");
    }
    const none = noneAll.sort((a, b) => a - b);
    const idle = idleAll.sort((a, b) => a - b);

    // The event every subscriber follows.
    const fanStart = performance.now();
    const fanMs = await setStatus(followed);
    const [{ seq }] = (
      await sql.query(
        "SELECT max(seq)::text AS seq FROM event WHERE kind = 'SERVICE_STATUS_CHANGED' AND payload->'service'->>'id' = $1",
        [followed],
      )
    ).rows;
    const total = emails + webhooks;
    // Mutations while the engine sends, beside it (not blocking the measurement of the rest).
    const during = latencies(samples);
    let enqueueMs = Number.NaN;
    let deliverMs = Number.NaN;
    const deadline = fanStart + limitS * 1000;
    while (performance.now() < deadline) {
      if (Number.isNaN(enqueueMs)) {
        const [{ count }] = (
          await sql.query("SELECT count(*)::int AS count FROM delivery WHERE event_seq = $1", [seq])
        ).rows;
        if (count >= total) enqueueMs = performance.now() - fanStart;
      }
      if (sink.ids.size >= emails && receivers.ids.size >= webhooks) {
        deliverMs = performance.now() - fanStart;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const duringSorted = await during;
    if (Number.isNaN(deliverMs)) {
      console.log(
        `  NOT all delivered within ${limitS} s: ${n(sink.ids.size)} mails, ${n(receivers.ids.size)} webhooks`,
      );
    }
    const [states] = (
      await sql.query(
        "SELECT count(*) FILTER (WHERE state = 'DELIVERED')::int AS delivered, count(*) FILTER (WHERE state = 'FAILED')::int AS failed FROM delivery WHERE event_seq = $1",
        [seq],
      )
    ).rows;
    console.log(
      `  arrived: ${n(sink.ids.size)} mails (${n(sink.received)} received), ${n(receivers.ids.size)} webhooks (${n(receivers.received)} POSTs); recorded so far: ${n(states.delivered)} delivered, ${n(states.failed)} failed`,
    );

    const p50 = (xs: number[]) => percentile(xs, 50);
    const p95 = (xs: number[]) => percentile(xs, 95);
    const lat = (xs: number[]) => `${fmt(p50(xs))} (${fmt(p95(xs))})`;
    const perS = (count: number, ms: number) => (count / ms) * 1000;
    const rows: Row[] = [
      {
        figure: `one event -> ${n(total)} deliveries enqueued (rows + jobs): ms after the mutation answered`,
        beacon: fmt(enqueueMs - fanMs),
        floor: "",
        ratio: "",
        goal: "",
        met: null,
      },
      {
        figure: `... all ${n(emails)} mails + ${n(webhooks)} webhooks arrived: s (deliveries/s)`,
        beacon: `${fmt(deliverMs / 1000)} (${fmt(perS(total, deliverMs))})`,
        floor: "",
        ratio: "",
        goal: "",
        met: null,
      },
      {
        figure: `setServiceStatus p50 (p95) ms, ${n(total)} subscribers of another service vs none`,
        beacon: lat(idle),
        floor: lat(none),
        ratio: ratio(p50(idle), p50(none)),
        goal: "<= 1.5x",
        met: p50(idle) / p50(none) <= 1.5,
      },
      {
        figure: `the fan-out mutation itself (1 sample) vs none p50, ms`,
        beacon: fmt(fanMs),
        floor: fmt(p50(none)),
        ratio: ratio(fanMs, p50(none)),
        goal: "",
        met: null,
      },
      {
        figure: "setServiceStatus p50 (p95) ms while the engine delivers vs none",
        beacon: lat(duringSorted),
        floor: lat(none),
        ratio: ratio(p50(duringSorted), p50(none)),
        goal: "",
        met: null,
      },
    ];
    printSection("Delivery (floor: the same mutation with no subscribers, same run)", rows, [
      "Every sender and sink shares the machine with Beacon and PostgreSQL: delivery rates are bounded by",
      "those CPUs, and mutations measured while the engine delivers compete with it for them.",
    ]);
    return rows;
  } finally {
    await beacon.child.stop();
    await sql.end();
    await receivers.stop();
    await sink.stop();
  }
}
