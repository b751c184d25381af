import net from "node:net";

/**
 * Makes any network connection attempt throw, for the duration of a test file: sockets
 * (http, https, node-fetch, undici) all go through net.Socket#connect, and fetch is replaced too.
 */
export function forbidNetwork(): { attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const originalConnect = net.Socket.prototype.connect;
  const originalFetch = globalThis.fetch;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(JSON.stringify(args[0]));
    throw new Error(`network access attempted in an offline test: ${JSON.stringify(args[0])}`);
  };
  globalThis.fetch = async (input: unknown) => {
    attempts.push(String(input));
    throw new Error(`fetch attempted in an offline test: ${String(input)}`);
  };
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = originalConnect;
      globalThis.fetch = originalFetch;
    },
  };
}
