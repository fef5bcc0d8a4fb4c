import type { RequestContext } from './context';

/** Custom requests contributed by feature modules; each registers its own handlers. */
const modules: { register(ctx: RequestContext): void }[] = [
];

export function registerRequests(ctx: RequestContext): void {
  for (const m of modules) m.register(ctx);
}
