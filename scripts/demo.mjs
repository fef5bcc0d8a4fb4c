// The demo: runs the CLI's main jobs on the bundled example workspace and shows what each
// prints. Findings are the point of the demo, so exit code 1 (findings with errors) is success
// here; only a crash or usage error (2) fails it.
import { spawnSync } from 'node:child_process';

const ws = 'examples/shop';
const steps = [
  ['Diagnostics for the whole workspace', [ws]],
  ['Cluster address plan', ['plan', ws]],
  ['What kube-proxy programs for Service shop/frontend', ['iptables', ws, '--service', 'shop/frontend']],
  ['Traffic path: shop.example.com/api/cart', ['trace', ws, '--from', 'ingress:shop.example.com/api/cart']],
];

let failed = false;
for (const [title, args] of steps) {
  const help = spawnSync(process.execPath, ['dist/cli.js', '--help'], { encoding: 'utf8' });
  if (args[0] !== ws && !help.stdout.includes(`kube-netlint ${args[0]}`)) continue;
  console.log(`\n=== ${title}\n$ kube-netlint ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['dist/cli.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0 && r.status !== 1) failed = true;
}
process.exit(failed ? 1 : 0);
