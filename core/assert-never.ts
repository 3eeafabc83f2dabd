/** Compile-time exhaustiveness check for switches over unions; throws if reached at run time. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${String(value)}`);
}
