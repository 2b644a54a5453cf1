// POST /webhooks/stripe in-process, for the integration tests: the route's action run as Remix would, for
// a request a test builds itself, or behind a tiny node:http server where the local Stripe server
// (tools/stripe-local) delivers its signed events, so that its own delivery (holding, reordering,
// retrying) drives the real action without starting the whole app.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as webhookRoute from "~/routes/webhooks.stripe";
import { callAction } from "./routes";

/** Runs the webhook route's action for one request and answers its Response. */
export const callWebhook = (request: Request): Promise<Response> => callAction(webhookRoute.action, request);

/** A server (not yet listening: see `listen`) that hands each request it receives to the webhook route's action. */
export function webhookReceiver(): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://localhost${req.url}`, {
        method: req.method,
        headers,
        body: req.method === "POST" ? Buffer.concat(chunks) : undefined,
      });
      callWebhook(request).then(
        async (response) => {
          res.writeHead(response.status, { "Content-Type": "text/plain" });
          res.end(await response.text());
        },
        (error: unknown) => {
          res.writeHead(599);
          res.end(String(error));
        },
      );
    });
  });
}

/** Starts `server` on a free port of 127.0.0.1 and answers its address (`http://127.0.0.1:PORT`). */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
