/** Stripe's unix seconds as a UTC instant; absent or null stays null. */
export function dateOf(seconds: number | null | undefined): Date | null {
  return typeof seconds === "number" ? new Date(seconds * 1000) : null;
}

export function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
