/** Delays between reconnection attempts: quick at first, then every few seconds, forever (a tab may stay open for days). */
export function reconnectDelay(attempt: number): number {
  const steps = [0, 500, 1000, 2000, 4000];
  return steps[attempt] ?? 5000;
}
