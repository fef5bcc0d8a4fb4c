import type { RequestContext } from './context';
import * as trace from './trace';
import * as proxyRules from './proxyRules';
import * as policies from './policies';
import * as connectivityView from './connectivityView';

/** Custom requests contributed by feature modules; each registers its own handlers. */
const modules: { register(ctx: RequestContext): void }[] = [trace, proxyRules, policies, connectivityView];

export function registerRequests(ctx: RequestContext): void {
  for (const m of modules) m.register(ctx);
}
