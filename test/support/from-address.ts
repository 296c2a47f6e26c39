import http from "node:http";
import WebSocket from "ws";

/**
 * Requests from another loopback address (127.0.0.2, 127.0.0.3, ...): on Linux all of 127/8 is
 * loopback, so a test can be several clients at once for per-IP limits, over real TCP.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function requestFrom(
  ip: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: init.method ?? "GET", headers: init.headers, localAddress: ip, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** POST /graphql from `ip`; the parsed body with the status and headers. */
export async function graphqlFrom(
  ip: string,
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) {
  const r = await requestFrom(ip, `${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    ...r,
    body: JSON.parse(r.text) as {
      data?: Record<string, unknown> | null;
      errors?: { message: string; extensions?: Record<string, unknown> }[];
    },
  };
}

/** A raw graphql-transport-ws socket from `ip` (rejects with "HTTP <status>" when refused). */
export function socketFrom(ip: string, wsUrl: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, "graphql-transport-ws", { localAddress: ip });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
    ws.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const e = Object.assign(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`), {
          status: res.statusCode,
          headers: res.headers,
        });
        reject(e);
      });
    });
  });
}

/** The next JSON message on a socket. */
export function nextMessage(ws: WebSocket): Promise<Record<string, unknown>> {
  return new Promise((resolve) => ws.once("message", (data) => resolve(JSON.parse(String(data)))));
}
