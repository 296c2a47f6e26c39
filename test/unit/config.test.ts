import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../server/kernel/config";

describe("loadConfig", () => {
  it("has working defaults: port 4000, embedded database under ./.data", () => {
    const c = loadConfig({}, "/srv/beacon");
    expect(c).toMatchObject({
      port: 4000,
      databaseUrl: null,
      dataDir: path.resolve("/srv/beacon/.data"),
      demo: true,
    });
    expect(c.logLevel).toBe("info");
    expect(c.sessionIdleMinutes).toBe(480);
  });

  it("reads the idle session timeout and refuses one under 5 minutes", () => {
    expect(loadConfig({ BEACON_SESSION_IDLE_MINUTES: "30" }).sessionIdleMinutes).toBe(30);
    expect(() => loadConfig({ BEACON_SESSION_IDLE_MINUTES: "1" })).toThrow(/BEACON_SESSION_IDLE_MINUTES="1"/);
  });

  it("reads business hours and the SLA warning share; refuses overlapping or malformed hours", () => {
    expect(loadConfig({}).businessHours).toEqual([{ start: 540, end: 1020 }]);
    expect(loadConfig({}).slaWarnPercent).toBe(75);
    expect(loadConfig({ BEACON_BUSINESS_HOURS: "08:00-12:00,13:00-17:00" }).businessHours).toEqual([
      { start: 480, end: 720 },
      { start: 780, end: 1020 },
    ]);
    expect(loadConfig({ BEACON_SLA_WARN_PERCENT: "80" }).slaWarnPercent).toBe(80);
    expect(() => loadConfig({ BEACON_BUSINESS_HOURS: "08:00-13:00,12:00-17:00" })).toThrow(
      /BEACON_BUSINESS_HOURS="08:00-13:00,12:00-17:00": windows 08:00-13:00 and 12:00-17:00 overlap/,
    );
    expect(() => loadConfig({ BEACON_BUSINESS_HOURS: "17:00-09:00" })).toThrow(/ends before it starts/);
    expect(() => loadConfig({ BEACON_BUSINESS_HOURS: "nine to five" })).toThrow(/BEACON_BUSINESS_HOURS/);
    expect(() => loadConfig({ BEACON_SLA_WARN_PERCENT: "100" })).toThrow(/BEACON_SLA_WARN_PERCENT/);
  });

  it("reads every setting", () => {
    const c = loadConfig(
      {
        PORT: "8080",
        DATABASE_URL: "postgres://u:p@db:5432/beacon",
        BEACON_DATA_DIR: "/var/lib/beacon",
        ADMIN_EMAIL: "root@example.com",
        ADMIN_PASSWORD: "correct horse",
        LOG_LEVEL: "DEBUG",
        BEACON_DEMO: "0",
        BEACON_TIME_ZONE: "Europe/Berlin",
        BEACON_HOLIDAYS: "2026-12-25, 2026-12-26",
      },
      "/",
    );
    expect(c).toMatchObject({
      port: 8080,
      databaseUrl: "postgres://u:p@db:5432/beacon",
      dataDir: "/var/lib/beacon",
      adminEmail: "root@example.com",
      logLevel: "debug",
      demo: false,
      timeZone: "Europe/Berlin",
      holidays: ["2026-12-25", "2026-12-26"],
    });
  });

  it("lists every problem at once, each saying what would be valid", () => {
    try {
      loadConfig({
        PORT: "70000",
        DATABASE_URL: "mysql://x",
        ADMIN_EMAIL: "nope",
        ADMIN_PASSWORD: "short",
        LOG_LEVEL: "loud",
        BEACON_DEMO: "maybe",
        BEACON_TIME_ZONE: "Mars/Olympus",
        BEACON_HOLIDAYS: "christmas",
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join("\n");
      for (const name of [
        "PORT",
        "DATABASE_URL",
        "ADMIN_EMAIL",
        "ADMIN_PASSWORD",
        "LOG_LEVEL",
        "BEACON_DEMO",
        "BEACON_TIME_ZONE",
        "BEACON_HOLIDAYS",
      ]) {
        expect(problems).toContain(name);
      }
      expect((e as ConfigError).problems).toHaveLength(8);
    }
  });

  it("BEACON_RECENT_DAYS: how long resolved incidents stay on the status page (default 3, 0 to 90)", () => {
    expect(loadConfig({}).recentDays).toBe(3);
    expect(loadConfig({ BEACON_RECENT_DAYS: "7" }).recentDays).toBe(7);
    expect(loadConfig({ BEACON_RECENT_DAYS: "0" }).recentDays).toBe(0);
    for (const bad of ["-1", "91", "2.5", "soon"]) {
      expect(() => loadConfig({ BEACON_RECENT_DAYS: bad })).toThrow(
        /BEACON_RECENT_DAYS="[^"]+" must be a whole number from 0 to 90/,
      );
    }
  });

  it("has generous rate limits and a replay window by default, each settable, and refuses nonsense", () => {
    expect(loadConfig({}, "/").limits).toEqual({
      httpPerMinute: 600,
      wsConnectionsPerMinute: 300,
      wsSubscriptionsPerMinute: 600,
      loginPerAddressAndIp: 10,
      loginPerAddress: 50,
      loginPerIp: 100,
    });
    expect(loadConfig({}, "/").replayMaxEvents).toBe(1000);
    const c = loadConfig(
      {
        BEACON_RATE_HTTP_PER_MINUTE: "5",
        BEACON_LOGIN_MAX_FAILURES_PER_IP: "7",
        BEACON_REPLAY_MAX_EVENTS: "30",
      },
      "/",
    );
    expect(c.limits.httpPerMinute).toBe(5);
    expect(c.limits.loginPerIp).toBe(7);
    expect(c.replayMaxEvents).toBe(30);
    expect(() => loadConfig({ BEACON_RATE_WS_CONNECTIONS_PER_MINUTE: "0" }, "/")).toThrow(
      /BEACON_RATE_WS_CONNECTIONS_PER_MINUTE="0" must be a whole number/,
    );
  });

  it("BEACON_TRUST_PROXY: proxies whose X-Forwarded-For is believed; nonsense refused", () => {
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ BEACON_TRUST_PROXY: "loopback, 10.0.0.0/8" }).trustProxy).toEqual([
      "loopback",
      "10.0.0.0/8",
    ]);
    expect(() => loadConfig({ BEACON_TRUST_PROXY: "the-balancer" })).toThrow(
      /BEACON_TRUST_PROXY="the-balancer"/,
    );
  });
});
