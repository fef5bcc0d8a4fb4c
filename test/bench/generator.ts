import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random } from './random';

/**
 * A synthetic workspace shaped like a real platform repository: one folder per team namespace,
 * one app per file (multi-document), some apps split over two files, some written as
 * `kind: List`, with bulky ConfigMaps so the byte count is realistic. Everything comes from one
 * seeded PRNG, so a given (resources, seed) pair always yields the same bytes.
 */

export interface GeneratedFile {
  path: string;
  text: string;
}

export interface GeneratedWorkspace {
  files: GeneratedFile[];
  resources: number;
  bytes: number;
  /** Deliberate problems planted, by kind (so diagnostics exist and the located-range path is exercised). */
  problems: Record<string, number>;
  kinds: Record<string, number>;
}

export interface GenerateOptions {
  /** Approximate number of Kubernetes objects (List items count individually). */
  resources: number;
  seed?: number;
  /** Share of apps carrying one deliberate problem. */
  problemRate?: number;
}

const TEAMS = [
  'payments',
  'checkout',
  'catalog',
  'search',
  'identity',
  'billing',
  'shipping',
  'inventory',
  'notifications',
  'analytics',
  'recommendations',
  'media',
  'support',
  'reporting',
  'gateway',
  'platform',
  'observability',
  'data',
  'ml',
  'security',
];
const QUALIFIERS = [
  'order',
  'user',
  'cart',
  'price',
  'stock',
  'event',
  'email',
  'image',
  'report',
  'session',
  'token',
  'audit',
  'invoice',
  'quote',
  'review',
  'ledger',
];
const ROLES = [
  'api',
  'worker',
  'frontend',
  'backend',
  'cache',
  'gateway',
  'scheduler',
  'indexer',
  'router',
  'auth',
  'queue',
  'store',
  'exporter',
  'sync',
  'renderer',
  'importer',
];
const HTTP_PORTS = [8080, 8000, 3000, 5000, 9000, 8081];
const LOG_LEVELS = ['info', 'debug', 'warn'];
const APPS_PER_NAMESPACE = 50;

type AppKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';
type Problem =
  | 'selector-typo'
  | 'target-port-unresolved'
  | 'ingress-service-missing'
  | 'probe-port-undefined'
  | 'port-name-invalid'
  | 'nodeport-duplicate'
  | 'policy-selects-nothing'
  | 'call-service-missing'
  | 'call-port-missing';
/** Only problems that show in what each kind of app generates (a CronJob has no Service to misspell). */
const PROBLEMS_FOR: Record<AppKind, Problem[]> = {
  Deployment: [
    'selector-typo',
    'target-port-unresolved',
    'ingress-service-missing',
    'probe-port-undefined',
    'port-name-invalid',
    'nodeport-duplicate',
    'policy-selects-nothing',
    'call-service-missing',
    'call-port-missing',
  ],
  StatefulSet: [
    'selector-typo',
    'target-port-unresolved',
    'probe-port-undefined',
    'nodeport-duplicate',
    'policy-selects-nothing',
    'call-service-missing',
  ],
  DaemonSet: ['selector-typo', 'probe-port-undefined', 'port-name-invalid', 'policy-selects-nothing'],
  CronJob: ['policy-selects-nothing', 'call-service-missing', 'call-port-missing'],
};

interface App {
  ns: string | undefined; // undefined: no metadata.namespace (the configured default applies)
  /** The folder's namespace name (also for apps written without metadata.namespace). */
  nsName: string;
  /** `nsName/name`: the key of the placeholders below. */
  id: string;
  team: string;
  name: string;
  kind: AppKind;
  httpPort: number;
  namedTarget: boolean;
  sidecar: 'none' | 'envoy' | 'native';
  problem?: Problem;
  /** Whether the app has its own NetworkPolicy (the namespace denies ingress to everything else). */
  policy: boolean;
  /** Apps whose NetworkPolicy lets this one in: the Services it calls (env URLs, config upstreams). */
  callees: App[];
  /** Callers from other namespaces this app's NetworkPolicy admits. */
  crossCallers: App[];
}

interface Doc {
  kind: string;
  text: string;
}

export function generateWorkspace(opts: GenerateOptions): GeneratedWorkspace {
  const rnd = new Random(opts.seed ?? 42);
  const problemRate = opts.problemRate ?? 0.02;
  const files: GeneratedFile[] = [];
  const problems: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  let resources = 0;
  let nextNodePort = 30000;
  let lastNodePort = 0;
  const allApps: App[] = [];
  const add = (p: string, docs: Doc[], asList = false) => {
    for (const d of docs) kinds[d.kind] = (kinds[d.kind] ?? 0) + 1;
    resources += docs.length;
    files.push({ path: p, text: asList ? listOf(docs) : docs.map(d => d.text).join('---\n') });
  };

  for (let nsIndex = 0; resources < opts.resources; nsIndex++) {
    const team = TEAMS[nsIndex % TEAMS.length];
    const nsName = nsIndex < TEAMS.length ? team : `${team}-${Math.floor(nsIndex / TEAMS.length) + 1}`;
    // The last namespace is written without metadata.namespace, as many repos do for `default`.
    const explicitNs = nsIndex !== 16;
    const ns = explicitNs ? nsName : undefined;
    if (explicitNs) add(`${nsName}/namespace.yaml`, namespaceDocs(nsName, team));
    const used = new Set<string>();
    const appsHere: App[] = [];
    for (let a = 0; a < APPS_PER_NAMESPACE && resources < opts.resources; a++) {
      let name = `${rnd.pick(QUALIFIERS)}-${rnd.pick(ROLES)}`;
      while (used.has(name)) name = `${name}-${(used.size % 9) + 1}`;
      used.add(name);
      const app: App = {
        ns,
        nsName,
        id: `${nsName}/${name}`,
        team,
        name,
        kind: rnd.weighted<AppKind>({ Deployment: 66, StatefulSet: 12, DaemonSet: 7, CronJob: 15 }),
        httpPort: rnd.pick(HTTP_PORTS),
        namedTarget: rnd.chance(0.6),
        sidecar: rnd.weighted({ none: 50, envoy: 40, native: 10 }),
        policy: false,
        callees: [],
        crossCallers: [],
      };
      if (rnd.chance(problemRate)) app.problem = rnd.pick(PROBLEMS_FOR[app.kind]);
      if (app.problem) problems[app.problem] = (problems[app.problem] ?? 0) + 1;
      const peerApp = appsHere.length ? rnd.pick(appsHere) : app;
      const peer = peerApp.name;
      appsHere.push(app);
      allApps.push(app);

      const workload: Doc[] = [serviceAccount(app), workloadDoc(app, rnd)];
      const exposed: Doc[] = [];
      if (app.kind === 'Deployment' || app.kind === 'StatefulSet') {
        let nodePort: number | undefined;
        if (rnd.chance(0.06) || app.problem === 'nodeport-duplicate') {
          nodePort = app.problem === 'nodeport-duplicate' && lastNodePort ? lastNodePort : nextNodePort++;
          lastNodePort = nodePort;
        }
        if (app.kind === 'StatefulSet') exposed.push(serviceDoc(app, { headless: true }));
        exposed.push(serviceDoc(app, { nodePort }));
        if (app.kind === 'Deployment' && (rnd.chance(0.35) || app.problem === 'ingress-service-missing'))
          exposed.push(ingressDoc(app, rnd));
        if (app.kind === 'Deployment' && rnd.chance(0.3)) exposed.push(hpaDoc(app, rnd));
      } else if (app.kind === 'DaemonSet') {
        exposed.push(serviceDoc(app, { metricsOnly: true }));
      }
      const config: Doc[] = [configMapDoc(app, rnd)];
      if (rnd.chance(0.45) || app.problem === 'policy-selects-nothing') {
        config.push(policyDoc(app, peer, rnd));
        app.policy = true;
        // The peer the policy admits is who calls this app: a working platform's calls are allowed.
        if (peerApp !== app && isCallee(app)) peerApp.callees.push(app);
      }

      const dir = nsName;
      const layout = rnd.weighted({ single: 72, list: 10, split: 18 });
      if (layout === 'split') {
        add(`${dir}/${name}/workload.yaml`, [...workload, ...exposed]);
        add(`${dir}/${name}/config.yaml`, config);
      } else {
        add(`${dir}/${name}.yaml`, [...workload, ...exposed, ...config], layout === 'list');
      }
    }
  }

  wireCalls(files, allApps, new Random((opts.seed ?? 42) ^ 0x5eed));

  // A couple of files that cannot be analysed, as every real repository has.
  files.push({
    path: 'broken/bad-indent.yaml',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   namespace: oops\ndata:\n  a: b\n',
  });
  files.push({
    path: 'charts/web/templates/service.yaml',
    text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  ports:\n  - port: {{ .Values.port }}\n',
  });
  problems['syntax-error'] = 1;
  problems['template'] = 1;

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const bytes = files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
  return { files, resources, bytes, problems, kinds };
}

/** Writes the files below `dir` (created as needed). */
export function writeWorkspace(dir: string, files: readonly GeneratedFile[]): void {
  const made = new Set<string>();
  for (const f of files) {
    const full = path.join(dir, f.path);
    const d = path.dirname(full);
    if (!made.has(d)) {
      fs.mkdirSync(d, { recursive: true });
      made.add(d);
    }
    fs.writeFileSync(full, f.text);
  }
}

/** `kind: List` wrapping: every item is the document text shifted under `items:`. */
function listOf(docs: Doc[]): string {
  let out = 'apiVersion: v1\nkind: List\nmetadata: {}\nitems:\n';
  for (const d of docs) {
    const lines = d.text.replace(/\n$/, '').split('\n');
    out += lines.map((l, i) => (i === 0 ? `- ${l}` : l === '' ? '' : `  ${l}`)).join('\n') + '\n';
  }
  return out;
}

function meta(app: App, name: string, indent = '', extraLabels = ''): string {
  return (
    `${indent}metadata:\n${indent}  name: ${name}\n` +
    (app.ns ? `${indent}  namespace: ${app.ns}\n` : '') +
    `${indent}  labels:\n${indent}    app: ${app.name}\n${indent}    app.kubernetes.io/part-of: ${app.team}\n${indent}    app.kubernetes.io/managed-by: kustomize\n${extraLabels}`
  );
}

function namespaceDocs(ns: string, team: string): Doc[] {
  return [
    {
      kind: 'Namespace',
      text: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels:\n    kubernetes.io/metadata.name: ${ns}\n    team: ${team}\n    istio-injection: enabled\n`,
    },
    {
      kind: 'NetworkPolicy',
      text: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny-ingress\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n`,
    },
    {
      kind: 'ResourceQuota',
      text: `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: ${ns}-quota\n  namespace: ${ns}\nspec:\n  hard:\n    requests.cpu: "40"\n    requests.memory: 80Gi\n    limits.cpu: "80"\n    limits.memory: 160Gi\n    pods: "400"\n    services.nodeports: "10"\n`,
    },
    {
      kind: 'LimitRange',
      text: `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: ${ns}-limits\n  namespace: ${ns}\nspec:\n  limits:\n  - type: Container\n    default:\n      cpu: 500m\n      memory: 512Mi\n    defaultRequest:\n      cpu: 100m\n      memory: 128Mi\n`,
    },
  ];
}

function serviceAccount(app: App): Doc {
  return {
    kind: 'ServiceAccount',
    text: `apiVersion: v1\nkind: ServiceAccount\n${meta(app, app.name)}automountServiceAccountToken: false\n`,
  };
}

function workloadDoc(app: App, rnd: Random): Doc {
  const apiVersion = app.kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  // Indentation of the pod template's keys (metadata, spec): CronJob nests it two levels deeper.
  const p = app.kind === 'CronJob' ? '        ' : '    ';
  const podLabels = `${p}  labels:\n${p}    app: ${app.name}\n${p}    tier: ${app.kind === 'CronJob' ? 'batch' : 'backend'}\n${p}    version: v${rnd.int(1, 4)}-${rnd.int(0, 20)}\n`;
  const podAnnotations = `${p}  annotations:\n${p}    prometheus.io/scrape: "true"\n${p}    prometheus.io/port: "9090"\n${p}    checksum/config: ${hex(rnd, 40)}\n`;
  const template = `${p.slice(2)}template:\n${p}metadata:\n${podLabels}${podAnnotations}${p}spec:\n${podSpec(app, rnd, p + '  ')}`;
  const selector = `  selector:\n    matchLabels:\n      app: ${app.name}\n`;
  let spec: string;
  switch (app.kind) {
    case 'Deployment':
      spec = `spec:\n  replicas: ${rnd.int(1, 6)}\n  revisionHistoryLimit: 5\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 0\n${selector}${template}`;
      break;
    case 'StatefulSet':
      spec = `spec:\n  serviceName: ${app.name}-headless\n  replicas: 3\n  podManagementPolicy: Parallel\n${selector}${template}  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n      accessModes: [ReadWriteOnce]\n      storageClassName: ssd\n      resources:\n        requests:\n          storage: ${rnd.int(5, 200)}Gi\n`;
      break;
    case 'DaemonSet':
      spec = `spec:\n  updateStrategy:\n    type: RollingUpdate\n${selector}${template}`;
      break;
    case 'CronJob':
      spec = `spec:\n  schedule: "${rnd.int(0, 59)} ${rnd.int(0, 23)} * * *"\n  concurrencyPolicy: Forbid\n  successfulJobsHistoryLimit: 3\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n      ${template.trimStart()}`;
      break;
  }
  return {
    kind: app.kind,
    text: `apiVersion: ${apiVersion}\nkind: ${app.kind}\n${meta(app, app.name)}  annotations:\n    deployment.kubernetes.io/revision: "${rnd.int(1, 40)}"\n${spec}`,
  };
}

/** The pod spec body, every line prefixed by `i`. */
function podSpec(app: App, rnd: Random, i: string): string {
  const c = `${i}  `; // container keys
  let out = `${i}serviceAccountName: ${app.name}\n${i}terminationGracePeriodSeconds: 30\n`;
  if (app.kind === 'CronJob') out += `${i}restartPolicy: OnFailure\n`;
  if (app.sidecar === 'native' && app.kind !== 'CronJob') {
    out += `${i}initContainers:\n${i}- name: log-shipper\n${c}image: fluent/fluent-bit:3.0.${rnd.int(0, 9)}\n${c}restartPolicy: Always\n${c}ports:\n${c}- name: shipper-metrics\n${c}  containerPort: 2020\n${c}resources:\n${c}  requests: {cpu: 20m, memory: 32Mi}\n`;
  }
  out += `${i}containers:\n${i}- name: ${app.name}\n${c}image: registry.example.com/${app.team}/${app.name}:${rnd.int(1, 9)}.${rnd.int(0, 30)}.${rnd.int(0, 99)}\n${c}imagePullPolicy: IfNotPresent\n`;
  if (app.kind !== 'CronJob') {
    const isDb = app.kind === 'StatefulSet';
    const portName = app.problem === 'port-name-invalid' ? 'http_api_endpoint' : isDb ? 'tcp-db' : 'http';
    const port = isDb ? 5432 : app.kind === 'DaemonSet' ? 9100 : app.httpPort;
    out += `${c}ports:\n${c}- name: ${portName}\n${c}  containerPort: ${port}\n${c}  protocol: TCP\n`;
    if (app.kind !== 'DaemonSet') out += `${c}- name: metrics\n${c}  containerPort: 9090\n${c}  protocol: TCP\n`;
  }
  out += `${c}env:\n${c}- name: LOG_LEVEL\n${c}  value: "${rnd.pick(LOG_LEVELS)}"\n${c}- name: POD_NAME\n${c}  valueFrom:\n${c}    fieldRef:\n${c}      fieldPath: metadata.name\n`;
  for (let k = 0, n = rnd.int(3, 9); k < n; k++) {
    const q = rnd.pick(QUALIFIERS).toUpperCase();
    // A planted call problem sits in the first variable, which is then a URL.
    const suffix = k === 0 && isCallProblem(app.problem) ? 'URL' : rnd.pick(ENV_SUFFIXES);
    out += `${c}- name: ${q}${k}_${suffix}\n${c}  value: "${envValue(suffix, app, k, rnd)}"\n`;
  }
  out += `${c}envFrom:\n${c}- configMapRef:\n${c}    name: ${app.name}-config\n`;
  if (app.kind !== 'CronJob') {
    const probePort =
      app.problem === 'probe-port-undefined'
        ? 'healthz'
        : app.kind === 'StatefulSet'
          ? 'tcp-db'
          : app.problem === 'port-name-invalid'
            ? 'http_api_endpoint'
            : app.kind === 'DaemonSet'
              ? 9100
              : rnd.chance(0.5)
                ? 'http'
                : app.httpPort;
    out +=
      app.kind === 'StatefulSet'
        ? `${c}readinessProbe:\n${c}  tcpSocket:\n${c}    port: ${probePort}\n${c}  periodSeconds: 10\n`
        : `${c}readinessProbe:\n${c}  httpGet:\n${c}    path: /ready\n${c}    port: ${probePort}\n${c}  periodSeconds: 5\n${c}  failureThreshold: 3\n`;
    out += `${c}livenessProbe:\n${c}  httpGet:\n${c}    path: /healthz\n${c}    port: ${app.kind === 'StatefulSet' ? 9090 : probePort}\n${c}  initialDelaySeconds: ${rnd.int(5, 30)}\n`;
  }
  out += `${c}resources:\n${c}  requests:\n${c}    cpu: ${rnd.int(1, 20) * 50}m\n${c}    memory: ${rnd.int(1, 16) * 64}Mi\n${c}  limits:\n${c}    memory: ${rnd.int(17, 32) * 64}Mi\n`;
  out += `${c}securityContext:\n${c}  runAsNonRoot: true\n${c}  readOnlyRootFilesystem: true\n${c}  allowPrivilegeEscalation: false\n`;
  out += `${c}volumeMounts:\n${c}- name: config\n${c}  mountPath: /etc/${app.name}\n${c}  readOnly: true\n`;
  if (app.sidecar === 'envoy' && app.kind !== 'CronJob') {
    out += `${i}- name: envoy\n${c}image: envoyproxy/envoy:v1.30.${rnd.int(0, 9)}\n${c}args: ["--config-path", "/etc/envoy/envoy.yaml", "--log-level", "warn"]\n${c}ports:\n${c}- name: envoy-admin\n${c}  containerPort: 15000\n${c}- name: envoy-http\n${c}  containerPort: 15001\n${c}readinessProbe:\n${c}  httpGet:\n${c}    path: /ready\n${c}    port: envoy-admin\n${c}resources:\n${c}  requests: {cpu: 50m, memory: 64Mi}\n`;
  }
  out += `${i}volumes:\n${i}- name: config\n${i}  configMap:\n${i}    name: ${app.name}-config\n`;
  return out;
}

function serviceDoc(app: App, o: { headless?: boolean; nodePort?: number; metricsOnly?: boolean }): Doc {
  const name = o.headless ? `${app.name}-headless` : app.name;
  const selectorApp = app.problem === 'selector-typo' && !o.headless ? typo(app.name) : app.name;
  const isDb = app.kind === 'StatefulSet';
  let ports: string;
  if (o.metricsOnly) {
    ports = `  - name: metrics\n    port: 9100\n    targetPort: 9100\n`;
  } else {
    const target =
      app.problem === 'target-port-unresolved'
        ? 'htpp'
        : isDb
          ? 'tcp-db'
          : app.problem === 'port-name-invalid'
            ? 'http_api_endpoint'
            : app.namedTarget
              ? 'http'
              : String(app.httpPort);
    ports =
      `  - name: ${isDb ? 'postgres' : 'http'}\n    port: ${isDb ? 5432 : 80}\n    targetPort: ${target}\n    protocol: TCP\n` +
      (o.nodePort ? `    nodePort: ${o.nodePort}\n` : '') +
      `  - name: metrics\n    port: 9090\n    targetPort: metrics\n`;
  }
  const type = o.headless ? '  clusterIP: None\n' : o.nodePort ? '  type: NodePort\n' : '  type: ClusterIP\n';
  return {
    kind: 'Service',
    text: `apiVersion: v1\nkind: Service\n${meta(app, name)}spec:\n${type}  selector:\n    app: ${selectorApp}\n  ports:\n${ports}`,
  };
}

function ingressDoc(app: App, rnd: Random): Doc {
  const svc = app.problem === 'ingress-service-missing' ? `${app.name}-svc` : app.name;
  const host = `${app.name}.${app.ns ?? 'default'}.example.com`;
  if (rnd.chance(0.08)) {
    return {
      kind: 'Ingress',
      text: `apiVersion: extensions/v1beta1\nkind: Ingress\n${meta(app, app.name)}  annotations:\n    kubernetes.io/ingress.class: nginx\nspec:\n  rules:\n  - host: ${host}\n    http:\n      paths:\n      - path: /\n        backend:\n          serviceName: ${svc}\n          servicePort: http\n`,
    };
  }
  const port = rnd.chance(0.5) ? `name: http` : `number: 80`;
  return {
    kind: 'Ingress',
    text: `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta(app, app.name)}  annotations:\n    nginx.ingress.kubernetes.io/proxy-body-size: 8m\n    cert-manager.io/cluster-issuer: letsencrypt\nspec:\n  ingressClassName: nginx\n  tls:\n  - hosts:\n    - ${host}\n    secretName: ${app.name}-tls\n  rules:\n  - host: ${host}\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: ${svc}\n            port:\n              ${port}\n      - path: /metrics\n        pathType: Exact\n        backend:\n          service:\n            name: ${svc}\n            port:\n              name: metrics\n`,
  };
}

function hpaDoc(app: App, rnd: Random): Doc {
  return {
    kind: 'HorizontalPodAutoscaler',
    text: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta(app, app.name)}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: ${app.name}\n  minReplicas: 2\n  maxReplicas: ${rnd.int(4, 30)}\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: ${rnd.int(50, 85)}\n`,
  };
}

function policyDoc(app: App, peer: string, rnd: Random): Doc {
  const target = app.problem === 'policy-selects-nothing' ? `${app.name}-v2` : app.name;
  const port =
    app.kind === 'CronJob'
      ? ''
      : `    ports:\n    - protocol: TCP\n      port: ${app.kind === 'StatefulSet' ? 5432 : rnd.chance(0.5) ? 'http' : app.httpPort}\n`;
  return {
    kind: 'NetworkPolicy',
    text: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta(app, `${app.name}-allow`)}spec:\n  podSelector:\n    matchLabels:\n      app: ${target}\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: ${peer}\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ingress-nginx\n${placeholder('XPEERS', app)}\n${port}`,
  };
}

/** The bulk of a real repository's bytes: application config files embedded in ConfigMaps. */
function configMapDoc(app: App, rnd: Random): Doc {
  let body = `    server:\n      port: ${app.httpPort}\n      shutdown: graceful\n    logging:\n      level: info\n      format: json\n    upstreams:\n`;
  for (let k = 0, n = rnd.int(2, 12); k < n; k++) {
    const q = rnd.pick(QUALIFIERS),
      r = rnd.pick(ROLES);
    // The URL is filled in once every app exists (wireCalls): a callee's Service, else a partner API.
    body += `      ${q}-${r}-${k}:\n        url: ${placeholder('UPSTREAM', app, k)}/v${rnd.int(1, 3)}\n        timeout: ${rnd.int(1, 30)}s\n        retries: ${rnd.int(0, 5)}\n`;
  }
  body += `    features:\n`;
  for (let k = 0, n = rnd.int(2, 10); k < n; k++)
    body += `      ${rnd.pick(QUALIFIERS)}_${rnd.pick(ROLES)}_${k}: ${rnd.chance(0.5)}\n`;
  return {
    kind: 'ConfigMap',
    text: `apiVersion: v1\nkind: ConfigMap\n${meta(app, `${app.name}-config`)}data:\n  LOG_FORMAT: json\n  CACHE_TTL: "${rnd.int(10, 3600)}"\n  application.yaml: |\n${body}`,
  };
}

function typo(s: string): string {
  // Swap two letters in the middle: the near-miss a human would make.
  const i = Math.max(1, Math.floor(s.length / 2) - 1);
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

function hex(rnd: Random, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += '0123456789abcdef'[rnd.int(0, 15)];
  return s;
}

const ENV_SUFFIXES = ['URL', 'TIMEOUT', 'POOL_SIZE', 'ENABLED', 'BATCH', 'REGION'];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-south-1'];

/** A value that fits the variable's name: URLs only in `*_URL` variables, as real apps name them. */
function envValue(suffix: string, app: App, k: number, rnd: Random): string {
  switch (suffix) {
    case 'URL':
      return placeholder('URL', app, k);
    case 'TIMEOUT':
      return `${rnd.int(1, 120)}s`;
    case 'ENABLED':
      return rnd.chance(0.5) ? 'true' : 'false';
    case 'REGION':
      return rnd.pick(REGIONS);
    default:
      return String(rnd.int(1, 64));
  }
}

function isCallProblem(p: Problem | undefined): boolean {
  return p === 'call-service-missing' || p === 'call-port-missing';
}

/** Apps others may call: a Service that reaches the app's main port, and no planted problem in the way. */
function isCallee(app: App): boolean {
  return (app.kind === 'Deployment' || app.kind === 'StatefulSet') && !app.problem;
}

/** Marks what `wireCalls` fills in when the whole workspace is known (`@@KIND:ns/name:k@@`). */
function placeholder(kind: 'URL' | 'UPSTREAM' | 'XPEERS', app: App, k = 0): string {
  return `@@${kind}:${app.id}:${k}@@`;
}

/**
 * Fills in the calls. An app calls the apps whose NetworkPolicy admits it (same namespace by a
 * short name, another namespace by `name.ns` or the cluster FQDN, on a port the Service
 * exposes), so a working platform's calls resolve and are allowed; some apps also call an app of
 * another namespace, whose policy then admits them. Values with no callee left name a partner API
 * outside the cluster. Apps with a planted call problem get it in their first URL variable.
 */
function wireCalls(files: GeneratedFile[], apps: App[], rnd: Random): void {
  const byId = new Map(apps.map(a => [a.id, a]));
  const byNs = new Map<string, App[]>();
  for (const a of apps) byNs.set(a.nsName, [...(byNs.get(a.nsName) ?? []), a]);
  const crossCandidates = apps.filter(a => a.ns && a.policy && isCallee(a));
  for (const a of apps) {
    if (!a.ns || !rnd.chance(0.15)) continue;
    const callee = rnd.pick(crossCandidates);
    if (!callee || callee.nsName === a.nsName) continue;
    a.callees.push(callee);
    callee.crossCallers.push(a);
  }
  const address = (from: App, to: App, fqdn: boolean): string => {
    const host =
      to.nsName === from.nsName
        ? to.name
        : fqdn
          ? `${to.name}.${to.nsName}.svc.cluster.local`
          : `${to.name}.${to.nsName}`;
    return to.kind === 'StatefulSet' ? `postgres://${host}:5432` : fqdn ? `http://${host}:80` : `http://${host}`;
  };
  const partner = () => `https://${rnd.pick(QUALIFIERS)}-${rnd.pick(ROLES)}.partners.example.com`;
  const planted = (a: App): string => {
    const siblings = (byNs.get(a.nsName) ?? []).filter(b => b !== a);
    const names = new Set(siblings.map(b => b.name));
    if (a.problem === 'call-port-missing') {
      // A port the Service does not expose (it has 80 and 9090, or 5432 and 9090).
      const to = a.callees.find(b => b.nsName === a.nsName) ?? siblings.find(isCallee);
      if (to) return `http://${to.name}:8443`;
    }
    // A misspelt sibling: the near miss "Did you mean" can point to.
    const like = siblings.length ? rnd.pick(siblings).name : a.name;
    let name = typo(like);
    if (names.has(name) || name === a.name) name = `${like}-v2`;
    return `http://${name}`;
  };
  for (const f of files) {
    if (!f.text.includes('@@')) continue;
    f.text = f.text.replace(/^( *)@@XPEERS:([^:@]+):\d+@@\n/gm, (_, indent: string, id: string) =>
      byId
        .get(id)!
        .crossCallers.map(
          c =>
            `    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ${c.nsName}\n` +
            `      podSelector:\n        matchLabels:\n          app: ${c.name}\n`,
        )
        .join('')
        .replace(/^(?=.)/gm, indent),
    );
    f.text = f.text.replace(/@@(URL|UPSTREAM):([^:@]+):(\d+)@@/g, (_, kind: string, id: string, k: string) => {
      const a = byId.get(id)!;
      const i = Number(k);
      if (kind === 'URL' && i === 0 && isCallProblem(a.problem)) return planted(a);
      const to = a.callees[i];
      return to ? address(a, to, kind === 'UPSTREAM' && !!a.ns) : partner();
    });
  }
}
