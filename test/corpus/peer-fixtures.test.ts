import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findingsOfFixture, peerFixtures, PeerFinding } from './peer';
import { sharedSuite } from '../support/shared';

/**
 * Our rules on the kube-score, kube-linter and polaris fixtures (../shared/corpus/peer), each
 * file analysed on its own as the peers do. For every check we share, the objects we flag must
 * be the objects the peer's own tests flag; where we deliberately differ, `ours` says what we
 * report instead and `why` says why (docs/peer-comparison.md has the full story). Findings of
 * rules no shared check covers are listed under `others` with a reason, so nothing goes unseen.
 *
 * Subjects are `Kind/name` (`Kind` for nameless objects), plus `#container` when the finding
 * sits inside one container; a subject appears once per report.
 */
interface SharedCheck {
  peer: 'kube-score' | 'kube-linter' | 'polaris';
  check: string;
  /** Our rules that answer the same question ([] when we have none). */
  rules: string[];
  /** Subjects the peer reports (from its own tests; "implied" verdicts come from EXPECTATIONS.md). */
  peerFails: string[];
  /** What we report when it deliberately differs from the peer. */
  ours?: string[];
  why?: string;
}
interface Other {
  rule: string;
  subjects: string[];
  why: string;
}
interface FixtureCase {
  fixture: string;
  checks: SharedCheck[];
  others?: Other[];
}

const SELECTOR = ['service-selector-no-match'];
const INGRESS = ['ingress-backend-service-missing', 'ingress-backend-port-missing'];
const NETPOL = ['networkpolicy-selects-nothing'];
const WORKLOAD_SELECTOR = ['workload-selector-mismatch'];
const CONTAINER_PORTS = ['pod-port-name-duplicate', 'port-name-invalid', 'port-value-invalid'];
const TARGET_PORTS = ['port-value-invalid', 'port-name-invalid'];
const PROBES = ['probe-port-undefined'];

const ks = (fixture: string, checks: SharedCheck[], others?: Other[]): FixtureCase => ({
  fixture: `kube-score/score/testdata/${fixture}`,
  checks,
  others,
});
const kl = (fixture: string, checks: SharedCheck[], others?: Other[]): FixtureCase => ({
  fixture: `kube-linter/tests/checks/${fixture}`,
  checks,
  others,
});
const pl = (fixture: string, checks: SharedCheck[], others?: Other[]): FixtureCase => ({
  fixture: `polaris/test/checks/${fixture}`,
  checks,
  others,
});

const svcTargetsPod = (peerFails: string[], implied = false): SharedCheck => ({
  peer: 'kube-score',
  check: `Service Targets Pod${implied ? ' (implied)' : ''}`,
  rules: SELECTOR,
  peerFails,
});
const ingTargetsSvc = (peerFails: string[]): SharedCheck => ({
  peer: 'kube-score',
  check: 'Ingress targets Service',
  rules: INGRESS,
  peerFails,
});
const npTargetsPod = (peerFails: string[], implied = false): SharedCheck => ({
  peer: 'kube-score',
  check: `NetworkPolicy targets Pod${implied ? ' (implied)' : ''}`,
  rules: NETPOL,
  peerFails,
});
/** A peer check we have no rule for: where the peer fails the fixture, we deliberately report nothing. */
const notShared = (peer: SharedCheck['peer'], check: string, peerFails: string[], why: string): SharedCheck =>
  peerFails.length ? { peer, check, rules: [], peerFails, ours: [], why } : { peer, check, rules: [], peerFails };
const podNetworkPolicy = (peerFails: string[]): SharedCheck =>
  notShared(
    'kube-score',
    'Pod NetworkPolicy',
    peerFails,
    'pod-centric coverage ("is this pod covered by an ingress and an egress policy?") is a policy-hygiene check, not a wiring error; we only report policies that select nothing',
  );
const kubeScoreStsServiceName = (peerFails: string[]): SharedCheck =>
  notShared(
    'kube-score',
    'StatefulSet has ServiceName',
    peerFails,
    'no rule checks StatefulSet.spec.serviceName against a headless Service yet',
  );
const containerPorts = (peerFails: string[]): SharedCheck => ({
  peer: 'kube-score',
  check: 'Container Ports Check',
  rules: CONTAINER_PORTS,
  peerFails,
});
const noWorkloadInFixture = (subjects: string[]): Other => ({
  rule: 'service-selector-no-match',
  subjects,
  why: "the fixture holds no workload for this Service, so its selector truly matches nothing in the file; kube-score's own Service Targets Pod would fail it too, but this fixture's test only asserts another check",
});

const CASES: FixtureCase[] = [
  // ---- kube-score: Ingress targets Service
  ks(
    'ingress-networkingv1-targets-service-no-match.yaml',
    [ingTargetsSvc(['Ingress/app-ingress'])],
    [noWorkloadInFixture(['Service/app-service'])],
  ),
  ks('ingress-networkingv1-targets-service.yaml', [ingTargetsSvc([])], [noWorkloadInFixture(['Service/app-service'])]),
  ks(
    'ingress-networkingv1beta1-targets-service-no-match.yaml',
    [ingTargetsSvc(['Ingress/app-ingress'])],
    [noWorkloadInFixture(['Service/app-service'])],
  ),
  ks(
    'ingress-networkingv1beta1-targets-service.yaml',
    [ingTargetsSvc([])],
    [noWorkloadInFixture(['Service/app-service'])],
  ),
  ks(
    'ingress-targets-service-no-match.yaml',
    [ingTargetsSvc(['Ingress/app-ingress'])],
    [noWorkloadInFixture(['Service/app-service'])],
  ),
  ks('ingress-targets-service.yaml', [ingTargetsSvc([])], [noWorkloadInFixture(['Service/app-service'])]),
  ks('ingress-v1-invalid-backend.yaml', [ingTargetsSvc(['Ingress/whatever'])]),
  ks('ingress_issue363.yaml', [ingTargetsSvc(['Ingress/app-ingress'])], [noWorkloadInFixture(['Service/app-service'])]),
  ks('ingress_issue388.yaml', [ingTargetsSvc([])]),
  // ---- kube-score: NetworkPolicy targets Pod / Pod NetworkPolicy
  ks('networkpolicy-cronjob-matching.yaml', [npTargetsPod([]), podNetworkPolicy([])]),
  ks('networkpolicy-cronjob-not-matching-selector.yaml', [
    npTargetsPod(['NetworkPolicy/testapp-netpol']),
    podNetworkPolicy(['CronJob/cronjob-test-1']),
  ]),
  ks('networkpolicy-deployment-matching.yaml', [npTargetsPod([]), podNetworkPolicy([])]),
  ks('networkpolicy-deployment-not-matching-selector.yaml', [
    npTargetsPod(['NetworkPolicy/testapp-netpol']),
    podNetworkPolicy(['Deployment/deployment-test-1']),
  ]),
  ks('networkpolicy-matching-only-egress.yaml', [npTargetsPod([], true), podNetworkPolicy(['Pod/pod-test-1'])]),
  ks('networkpolicy-matching-only-ingress.yaml', [npTargetsPod([], true), podNetworkPolicy(['Pod/pod-test-1'])]),
  ks('networkpolicy-matching.yaml', [npTargetsPod([], true), podNetworkPolicy([])]),
  ks('networkpolicy-not-matching.yaml', [
    podNetworkPolicy(['Pod/pod-test-1']),
    {
      peer: 'kube-score',
      check: 'NetworkPolicy targets Pod (not asserted)',
      rules: NETPOL,
      peerFails: [],
      // kube-score asserts nothing here; recorded so a change in our verdict is noticed.
    },
  ]),
  ks('networkpolicy-statefulset-matching.yaml', [npTargetsPod([]), podNetworkPolicy([])]),
  ks('networkpolicy-statefulset-not-matching-selector.yaml', [
    npTargetsPod(['NetworkPolicy/testapp-netpol']),
    podNetworkPolicy(['StatefulSet/statefulset-test-1']),
    {
      peer: 'kube-score',
      check: 'StatefulSet Pod Selector labels match template metadata labels (implied)',
      rules: WORKLOAD_SELECTOR,
      peerFails: ['StatefulSet/statefulset-test-1'],
    },
  ]),
  ks('networkpolicy-targets-all-pods.yaml', [npTargetsPod([]), podNetworkPolicy([])]),
  ks('networkpolicy-targets-pod-deployment.yaml', [npTargetsPod([])]),
  ks('networkpolicy-targets-pod-not-matching.yaml', [npTargetsPod(['NetworkPolicy/testapp-netpol'])]),
  ks('networkpolicy-targets-pod.yaml', [npTargetsPod([])]),
  // ---- kube-score: Container Ports Check
  ks('pod-container-ports-duplicate-names.yaml', [containerPorts(['Deployment/app#app'])]),
  ks('pod-container-ports-missing-containerport-annotation-optional.yaml', [containerPorts(['Deployment/app#app'])]),
  ks('pod-container-ports-missing-containerport.yaml', [containerPorts(['Deployment/app#app'])]),
  ks('pod-container-ports-name-too-long.yaml', [containerPorts(['Deployment/app#app'])]),
  ks('pod-container-ports-ok.yaml', [
    containerPorts([]),
    { peer: 'kube-score', check: 'Container Ports Check (hostPorts)', rules: ['host-port-conflict'], peerFails: [] },
  ]),
  // ---- kube-score: Service Targets Pod
  ks('service-externalname.yaml', [svcTargetsPod([])]),
  ks('service-not-target-deployment.yaml', [svcTargetsPod(['Service/my-service-no-match'])]),
  ks('service-not-target-pod-multi-label.yaml', [svcTargetsPod(['Service/my-service'])]),
  ks('service-not-target-pod.yaml', [svcTargetsPod(['Service/my-service'])]),
  ks('service-target-deployment-different-namespace.yaml', [svcTargetsPod(['Service/my-service'])]),
  ks('service-target-deployment-not-rolling.yaml', [svcTargetsPod([], true)]),
  ks('service-target-deployment-replica-1.yaml', [svcTargetsPod([], true)]),
  ks('service-target-deployment-same-namespace.yaml', [svcTargetsPod([])]),
  ks('service-target-deployment-strategy-not-set.yaml', [svcTargetsPod([], true)]),
  ks('service-target-deployment.yaml', [svcTargetsPod([])]),
  ks('service-target-pod-different-namespace.yaml', [svcTargetsPod(['Service/my-service'])]),
  ks('service-target-pod-multi-label.yaml', [svcTargetsPod([])]),
  ks('service-target-pod-same-namespace.yaml', [svcTargetsPod([])]),
  ks('service-target-pod.yaml', [svcTargetsPod([])]),
  // ---- kube-score: StatefulSet checks
  ks('statefulset-different-labels.yaml', [
    {
      peer: 'kube-score',
      check: 'StatefulSet Pod Selector labels match template metadata labels',
      rules: WORKLOAD_SELECTOR,
      peerFails: ['StatefulSet/statefulset-test-1'],
    },
  ]),
  ks('statefulset-service-name-different-label.yaml', [
    kubeScoreStsServiceName(['StatefulSet/statefulset-test-1']),
    { peer: 'kube-score', check: 'Service Targets Pod (implied)', rules: SELECTOR, peerFails: ['Service/svc-test-1'] },
    {
      peer: 'kube-score',
      check: 'StatefulSet Pod Selector labels match template metadata labels (implied)',
      rules: WORKLOAD_SELECTOR,
      peerFails: ['StatefulSet/statefulset-test-1'],
    },
  ]),
  ks('statefulset-service-name-different-name.yaml', [
    kubeScoreStsServiceName(['StatefulSet/statefulset-test-1']),
    svcTargetsPod([], true),
  ]),
  ks('statefulset-service-name-different-namespace.yaml', [
    // No kube-score test reads this file; by its logic (same namespace string) the Service selects nothing.
    {
      peer: 'kube-score',
      check: 'Service Targets Pod (implied, unasserted fixture)',
      rules: SELECTOR,
      peerFails: ['Service/svc-test-1'],
    },
  ]),
  ks('statefulset-service-name-not-headless.yaml', [
    kubeScoreStsServiceName(['StatefulSet/statefulset-test-1']),
    svcTargetsPod([], true),
  ]),
  ks('statefulset-service-name.yaml', [kubeScoreStsServiceName([]), svcTargetsPod([], true)]),

  // ---- kube-linter
  kl(
    'dangling-ingress.yml',
    [
      {
        peer: 'kube-linter',
        check: 'dangling-ingress',
        rules: INGRESS,
        peerFails: ['Ingress/missing-service', 'Ingress/bad-port'],
      },
    ],
    [
      {
        rule: 'service-selector-no-match',
        subjects: ['Service/dont-fire', 'Service/bad-port'],
        why: "the Services select app.kubernetes.io/name=dont-fire/bad-port and the file has no workload; kube-linter's dangling-service would report them too, but the bats test includes only dangling-ingress",
      },
    ],
  ),
  kl('dangling-networkpolicy.yml', [
    { peer: 'kube-linter', check: 'dangling-networkpolicy', rules: NETPOL, peerFails: ['NetworkPolicy/app'] },
  ]),
  kl('dangling-networkpolicypeer-podselector.yml', [
    {
      peer: 'kube-linter',
      check: "dangling-networkpolicy (implied: the policy's own podSelector app1 is dangling too)",
      rules: NETPOL,
      peerFails: ['NetworkPolicy/app'],
    },
    {
      peer: 'kube-linter',
      check: 'dangling-networkpolicypeer-podselector',
      rules: [],
      peerFails: ['NetworkPolicy/app'],
      ours: [],
      why: 'no rule checks the podSelectors inside ingress/egress peers yet',
    },
  ]),
  kl('dangling-service.yml', [
    { peer: 'kube-linter', check: 'dangling-service', rules: SELECTOR, peerFails: ['Service/app1', 'Service/app2'] },
  ]),
  kl(
    'invalid-target-ports.yaml',
    [
      {
        peer: 'kube-linter',
        check: 'invalid-target-ports',
        rules: TARGET_PORTS,
        peerFails: [
          'Service/invalid-target-ports',
          'Service/invalid-target-ports',
          'Deployment/invalid-target-ports#invalid-target-ports',
          'Deployment/invalid-target-ports#invalid-target-ports',
        ],
        ours: [
          ...Array(6).fill('Service/invalid-target-ports'),
          ...Array(3).fill('Deployment/invalid-target-ports#invalid-target-ports'),
        ],
        why: 'we agree on the 4 reports (targetPort 123456 and "n234567890123456", port names "n234567890123456" and "123456") and add 5 the API server also rejects: the four Service ports have no `port`, and containerPort 123456 is out of range (kube-linter checks only targetPorts and names)',
      },
    ],
    [
      {
        rule: 'service-port-name-required',
        subjects: Array(4).fill('Service/invalid-target-ports'),
        why: 'a Service with 4 ports needs a name on each; the API server rejects it (kube-linter has no such check)',
      },
    ],
  ),
  kl(
    'liveness-port.yml',
    [
      {
        peer: 'kube-linter',
        check: 'liveness-port',
        rules: PROBES,
        peerFails: [
          'Deployment#fire-deployment-name',
          'Deployment#fire-deployment-int',
          'Deployment#fire-deployment-udp',
          'StatefulSet#fire-stateful-name',
        ],
        ours: ['Deployment#fire-deployment-name', 'Deployment#fire-deployment-udp', 'StatefulSet#fire-stateful-name'],
        why: 'numeric probe ports are judged pod-wide: the kubelet probes the pod IP, which all containers share, and a sibling container of this one pod declares that port, so the probe reaches a listener (kube-linter looks at the probing container only)',
      },
    ],
    [
      {
        rule: 'pod-port-conflict',
        subjects: ['Deployment#dont-fire-deployment'],
        why: 'the fixture puts every case in one pod, so two containers really do declare 8080/TCP (they share the pod network namespace)',
      },
      {
        rule: 'pod-port-name-duplicate',
        subjects: [
          'Deployment#dont-fire-deployment',
          'Deployment#fire-deployment-int',
          'StatefulSet#fire-stateful-name',
        ],
        why: 'the fixture reuses the port name http across containers of one pod; a named targetPort "http" could not tell them apart',
      },
    ],
  ),
  kl('mismatching-selector.yml', [
    {
      peer: 'kube-linter',
      check: 'mismatching-selector',
      rules: WORKLOAD_SELECTOR,
      peerFails: ['Deployment/app1', 'DeploymentConfig/app2'],
    },
  ]),
  kl('no-extensions-v1beta.yml', [
    {
      peer: 'kube-linter',
      check: 'no-extensions-v1beta',
      rules: [],
      peerFails: ['NetworkPolicy/app'],
      ours: [],
      why: 'deprecated API versions are not a networking defect; we model both NetworkPolicy versions',
    },
  ]),
  kl(
    'readiness-port.yml',
    [
      {
        peer: 'kube-linter',
        check: 'readiness-port',
        rules: PROBES,
        peerFails: [
          'Deployment#fire-deployment-name',
          'Deployment#fire-deployment-int',
          'Deployment#fire-deployment-udp',
          'Deployment#fire-deployment-grpc',
        ],
        ours: ['Deployment#fire-deployment-name', 'Deployment#fire-deployment-udp'],
        why: 'numeric probe ports are judged pod-wide: the kubelet probes the pod IP, which all containers share, and a sibling container of this one pod declares that port, so the probe reaches a listener (kube-linter looks at the probing container only)',
      },
    ],
    [
      {
        rule: 'pod-port-conflict',
        subjects: ['Deployment#dont-fire-deployment', 'Deployment#fire-deployment-grpc'],
        why: 'the fixture puts every case in one pod, so 8080/TCP and 9999/TCP really are declared by two containers each',
      },
      {
        rule: 'pod-port-name-duplicate',
        subjects: ['Deployment#dont-fire-deployment', 'Deployment#fire-deployment-int'],
        why: 'the fixture reuses the port name http across containers of one pod; a named targetPort "http" could not tell them apart',
      },
    ],
  ),

  // ---- polaris
  pl('hostNetworkSet/failure.yaml', [
    {
      peer: 'polaris',
      check: 'hostNetworkSet',
      rules: [],
      peerFails: ['Pod/nginx'],
      ours: [],
      why: 'hostNetwork is a security posture choice, not a wiring error; host-port-conflict uses it only to find real clashes',
    },
  ]),
  pl('hostNetworkSet/mutated.yaml', [
    { peer: 'polaris', check: 'hostNetworkSet (auto-fix output, no verdict)', rules: [], peerFails: [] },
  ]),
  pl('hostNetworkSet/success.yaml', [{ peer: 'polaris', check: 'hostNetworkSet', rules: [], peerFails: [] }]),
  pl('hostPortSet/failure.yaml', [
    {
      peer: 'polaris',
      check: 'hostPortSet',
      rules: [],
      peerFails: ['Pod/nginx'],
      ours: [],
      why: 'a hostPort by itself is legitimate; we report only hostPorts that clash (host-port-conflict)',
    },
    { peer: 'polaris', check: 'hostPortSet (clash)', rules: ['host-port-conflict'], peerFails: [] },
  ]),
  pl('hostPortSet/mutated.yaml', [
    { peer: 'polaris', check: 'hostPortSet (auto-fix output, no verdict)', rules: [], peerFails: [] },
  ]),
  pl('hostPortSet/success.yaml', [{ peer: 'polaris', check: 'hostPortSet', rules: [], peerFails: [] }]),
  ...[
    'failure.netpol_missing_egress_in_policytypes.yaml',
    'failure.netpol_missing_egress_rules.yaml',
    'failure.netpol_missing_ingress_in_policytypes.yaml',
    'failure.netpol_missing_ingress_rules.yaml',
  ].map(f =>
    pl(`missingNetworkPolicy/${f}`, [
      {
        peer: 'polaris',
        check: 'missingNetworkPolicy',
        rules: [],
        peerFails: ['Pod/test-pod'],
        ours: [],
        why: 'polaris requires an ingress+egress policy with both policyTypes per pod (posture); we have no coverage rule',
      },
      {
        peer: 'polaris',
        check: 'missingNetworkPolicy (implied: the policy selects the pod)',
        rules: NETPOL,
        peerFails: [],
      },
    ]),
  ),
  pl('missingNetworkPolicy/failure.netpol_targets_wrong_pod_label.yaml', [
    {
      peer: 'polaris',
      check: 'missingNetworkPolicy',
      rules: [],
      peerFails: ['Pod/test-pod'],
      ours: [],
      why: 'polaris flags the uncovered Pod; we flag the policy that selects nothing (next row)',
    },
    {
      peer: 'polaris',
      check: 'missingNetworkPolicy (implied: NetworkPolicy selects nothing)',
      rules: NETPOL,
      peerFails: ['NetworkPolicy/test'],
    },
  ]),
  pl('missingNetworkPolicy/success.yaml', [
    { peer: 'polaris', check: 'missingNetworkPolicy', rules: NETPOL, peerFails: [] },
  ]),
];

function counted(xs: readonly string[]): string[] {
  return [...xs].sort();
}

function show(fs: PeerFinding[]): string {
  return (
    fs.map(f => `    ${f.rule} ${f.subject} (line ${f.line}): ${f.message.slice(0, 140)}`).join('\n') || '    (none)'
  );
}

describe(
  'peer fixtures (../shared/corpus/peer), each file analysed on its own',
  { skip: sharedSuite('corpus/peer').skip },
  () => {
    it('has a table entry for every fixture', () => {
      assert.deepEqual(CASES.map(c => c.fixture).sort(), peerFixtures());
    });

    for (const c of CASES) {
      describe(c.fixture, () => {
        const findings = () => findingsOfFixture(c.fixture);

        for (const check of c.checks) {
          it(`${check.peer} ${check.check}`, () => {
            const fs = findings().filter(f => check.rules.includes(f.rule));
            const ours = counted(fs.map(f => f.subject));
            if (check.ours !== undefined) {
              assert.ok(check.why, 'a deliberate disagreement needs a reason');
              assert.notDeepEqual(
                counted(check.ours),
                counted(check.peerFails),
                'recorded as a disagreement but ours equals the peer verdict; drop `ours`',
              );
            }
            const expected = counted(check.ours ?? check.peerFails);
            assert.deepEqual(ours, expected, `${check.peer} ${check.check}: we report\n${show(fs)}`);
          });
        }

        it('reports nothing beyond the shared checks and the listed other findings', () => {
          const covered = new Set([...c.checks.flatMap(x => x.rules)]);
          for (const o of c.others ?? []) {
            const fs = findings().filter(f => f.rule === o.rule);
            assert.deepEqual(counted(fs.map(f => f.subject)), counted(o.subjects), `${o.rule}: we report\n${show(fs)}`);
            covered.add(o.rule);
          }
          const unlisted = findings().filter(f => !covered.has(f.rule));
          assert.equal(unlisted.length, 0, `unlisted findings:\n${show(unlisted)}`);
        });
      });
    }
  },
);
