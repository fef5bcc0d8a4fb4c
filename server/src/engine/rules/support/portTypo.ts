/**
 * When is an undeclared port number "clearly a typo" of a declared one? Kubernetes never reads
 * containerPort declarations, so an undeclared targetPort or probe port is usually a port the
 * app serves without declaring it (health and metrics listeners, all-in-one images). Measured
 * on the shared corpus, every single-digit *substitution* was a deliberate sibling port
 * (8080/8081, 8443/8444, 8443/9443, 9200/9300, 8080/8090), and so was a digit appended to
 * make a neighbouring service (3306/33060, MySQL's X protocol). Typing slips look different:
 *
 * - two adjacent digits swapped (8008 for 8080, 9009 for 9090);
 * - one digit dropped (808 for 8080);
 * - one digit doubled (80800 is out of range, but 4443 for 443 or 33306 for 3306).
 *
 * Even then, a number that is itself a port images commonly serve is not called a typo.
 */

/** Ports that images commonly serve on purpose; never reported as a slip of another port. */
const COMMON_PORTS: ReadonlySet<number> = new Set([
  21, 22, 25, 53, 80, 110, 143, 389, 443, 636, 993, 995, 1433, 1521, 1883, 2181, 2375, 2376, 2379, 2380, 3000, 3306,
  3307, 4000, 4317, 4318, 4369, 5000, 5001, 5432, 5601, 5672, 6379, 6443, 7000, 7001, 7946, 8000, 8001, 8080, 8081,
  8082, 8088, 8090, 8443, 8444, 8500, 8888, 9000, 9001, 9042, 9090, 9091, 9092, 9093, 9100, 9200, 9300, 9411, 9443,
  10250, 10254, 10256, 11211, 14250, 14268, 15000, 15021, 15090, 16686, 25565, 27017, 33060, 50051,
]);

export type TypoKind = 'transposed' | 'dropped' | 'doubled';

export interface PortTypo {
  /** The declared port the number most likely meant. */
  declared: number;
  kind: TypoKind;
}

/** How `typed` derives from `meant` by one typing slip, if it does. */
export function slipBetween(typed: number, meant: number): TypoKind | undefined {
  const t = String(typed);
  const m = String(meant);
  if (t === m) return undefined;
  if (t.length === m.length) {
    const diff: number[] = [];
    for (let i = 0; i < t.length; i++) if (t[i] !== m[i]) diff.push(i);
    if (diff.length === 2 && diff[1] === diff[0] + 1 && t[diff[0]] === m[diff[1]] && t[diff[1]] === m[diff[0]])
      return 'transposed';
    return undefined;
  }
  if (t.length === m.length - 1) {
    for (let i = 0; i < m.length; i++) if (m.slice(0, i) + m.slice(i + 1) === t) return 'dropped';
    return undefined;
  }
  if (t.length === m.length + 1) {
    // The extra digit repeats its neighbour: a key pressed twice, not a new number.
    for (let i = 1; i < t.length; i++) if (t[i] === t[i - 1] && t.slice(0, i) + t.slice(i + 1) === m) return 'doubled';
    return undefined;
  }
  return undefined;
}

/**
 * The one declared port that `n` is clearly a slip of, or undefined (not a slip, a common port
 * on its own, or a slip of more than one declared port, which leaves the intent unclear).
 */
export function portTypo(n: number, declared: Iterable<number>): PortTypo | undefined {
  if (COMMON_PORTS.has(n)) return undefined;
  const found: PortTypo[] = [];
  for (const d of new Set(declared)) {
    if (d === n) return undefined;
    const kind = slipBetween(n, d);
    if (kind) found.push({ declared: d, kind });
  }
  return found.length === 1 ? found[0] : undefined;
}

export function describeSlip(t: PortTypo): string {
  switch (t.kind) {
    case 'transposed':
      return `two digits of ${t.declared} swapped`;
    case 'dropped':
      return `${t.declared} with a digit missing`;
    case 'doubled':
      return `${t.declared} with a digit typed twice`;
  }
}
