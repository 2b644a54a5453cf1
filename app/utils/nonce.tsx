import { createContext, useContext } from "react";

/** The per-request CSP nonce, so Remix's inline scripts may run under a strict Content-Security-Policy. */
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
