import { createHash, timingSafeEqual } from "node:crypto";

/** How a request may present the token. */
export interface CredentialOptions {
  /**
   * Also accept HTTP Basic with the token as the password (any user name): browsers cannot
   * send a bearer header when a person opens the dashboard, but they prompt for Basic
   * credentials and send them with the page's own requests.
   */
  readonly basic?: boolean;
}

/** The token presented by `Bearer <token>` or, when allowed, `Basic base64(user:token)`. */
function presented(header: string, basic: boolean): string | undefined {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (bearer) return bearer[1]!;
  if (!basic) return undefined;
  const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

/**
 * Checks `Authorization: Bearer <token>` (or Basic, see {@link CredentialOptions}) in
 * constant time: both sides are hashed to 32 bytes first, so neither the token's length nor
 * its content leaks through timing.
 */
export function bearerChecker(token: string): (header: string | undefined, options?: CredentialOptions) => boolean {
  const expected = createHash("sha256").update(token, "utf8").digest();
  return (header, options = {}) => {
    if (typeof header !== "string") return false;
    const given = presented(header, options.basic === true);
    const digest = createHash("sha256")
      .update(given ?? "", "utf8")
      .digest();
    // Compare even when the header was malformed, so the timing does not tell either.
    return timingSafeEqual(digest, expected) && given !== undefined;
  };
}
