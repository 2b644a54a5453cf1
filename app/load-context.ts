import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy. */
    cspNonce: string;
    /** The client's address as Express sees it (honours TRUST_PROXY). */
    clientIp: string;
  }
}

export {};
