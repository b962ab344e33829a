/**
 * A PostgreSQL snapshot (`pg_current_snapshot()`, text form `xmin:xmax:xip,...`).
 * A subscription reads its backlog in one snapshot; a live event whose
 * transaction that snapshot already saw is in the backlog and is dropped, and
 * every other one is new. That is what makes catch-up + live exact.
 */
export class Snapshot {
  private constructor(
    private readonly xmin: bigint,
    private readonly xmax: bigint,
    private readonly inProgress: ReadonlySet<bigint>,
  ) {}

  static parse(text: string): Snapshot {
    const match = /^(\d+):(\d+):([\d,]*)$/.exec(text.trim());
    if (!match) throw new Error(`not a snapshot: ${text}`);
    const inProgress = new Set(match[3] ? match[3].split(',').map((x) => BigInt(x)) : []);
    return new Snapshot(BigInt(match[1]), BigInt(match[2]), inProgress);
  }

  /** True when a committed transaction `xid` is visible in this snapshot. */
  sees(xid: string): boolean {
    const id = BigInt(xid);
    if (id < this.xmin) return true;
    if (id >= this.xmax) return false;
    return !this.inProgress.has(id);
  }
}
