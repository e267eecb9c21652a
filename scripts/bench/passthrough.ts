/**
 * The thinnest reverse proxy Bun can be — Bun.serve + fetch — as the reference a
 * gateway on the same runtime cannot beat.
 *
 *   bun scripts/bench/passthrough.ts --port 9200 --upstream http://127.0.0.1:9100
 *
 * It parses nothing, checks nothing and logs nothing. The request body is read whole
 * before it goes upstream (a gateway has to read it anyway, for the model and the key);
 * the upstream's status, headers and body come back streamed, so SSE passes chunk by chunk.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: {
    port: { type: "string", default: "9200" },
    host: { type: "string", default: "127.0.0.1" },
    upstream: { type: "string", default: "http://127.0.0.1:9100" },
  },
  strict: true,
});
const UPSTREAM = values.upstream.replace(/\/+$/, "");

// Hop-by-hop headers (RFC 9110 §7.6.1) and the ones the runtime recomputes.
const DROP_REQUEST = ["host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "content-length"];
const DROP_RESPONSE = ["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"];

const server = Bun.serve({
  port: Number(values.port),
  hostname: values.host,
  idleTimeout: 255,
  async fetch(req) {
    const url = new URL(req.url);
    const headers = new Headers(req.headers);
    for (const name of DROP_REQUEST) headers.delete(name);
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();

    let upstream: Response;
    try {
      upstream = await fetch(UPSTREAM + url.pathname + url.search, { method: req.method, headers, body, redirect: "manual", signal: req.signal });
    } catch (err) {
      return Response.json({ error: { message: `upstream unreachable: ${(err as Error).message}`, type: "bad_gateway" } }, { status: 502 });
    }
    const out = new Headers(upstream.headers);
    for (const name of DROP_RESPONSE) out.delete(name);
    return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers: out });
  },
});

console.log(`passthrough listening on http://${values.host}:${server.port} -> ${UPSTREAM}`);

const shutdown = () => {
  void server.stop(true);
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
