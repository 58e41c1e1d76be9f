// Stands in for the `server-only` package outside Next.js (vitest).
export {};
