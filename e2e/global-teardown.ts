import { getStack } from "./stack";

export default async function globalTeardown() {
  const stack = getStack();
  await stack?.app.stop();
  await stack?.redis.stop();
}
