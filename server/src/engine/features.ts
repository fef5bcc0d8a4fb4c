/**
 * Feature modules that register hover and code-lens providers. Importing this file once (the
 * language server and tests do) turns them all on; each feature keeps its own module.
 */
export {};
import './netfilter/register';
import './codelens/tracePathLens';
import './plan/hover';
import './hover/gatewayHover';
import './policyview/hover';
import './policyview/lens';
