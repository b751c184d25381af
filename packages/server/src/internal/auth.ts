import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Checks `Authorization: Bearer <token>` in constant time: both sides are hashed to 32
 * bytes first, so neither the token's length nor its content leaks through timing.
 */
export function bearerChecker(token: string): (header: string | undefined) => boolean {
  const expected = createHash("sha256").update(token, "utf8").digest();
  return (header) => {
    if (typeof header !== "string") return false;
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    const given = createHash("sha256").update(match ? match[1]! : "", "utf8").digest();
    // Compare even when the header was malformed, so the timing does not tell either.
    return timingSafeEqual(given, expected) && match !== null;
  };
}
