/** A topic-partition, as `topic#partition`. */
export type PartitionId = string;

export const partitionId = (topic: string, partition: number): PartitionId => `${topic}#${partition}`;

/**
 * In-process consumer-group membership: partitions are dealt round-robin to live members.
 * A per-partition lock makes a new owner wait until the old owner finished its batch.
 */
export class GroupCoordinator {
  private readonly members: symbol[] = [];
  private readonly locks = new Map<PartitionId, Promise<void>>();

  join(member: symbol): void {
    this.members.push(member);
  }

  leave(member: symbol): void {
    const index = this.members.indexOf(member);
    if (index >= 0) this.members.splice(index, 1);
  }

  get size(): number {
    return this.members.length;
  }

  owns(member: symbol, partitions: readonly PartitionId[], id: PartitionId): boolean {
    const index = partitions.indexOf(id);
    return index >= 0 && this.members[index % this.members.length] === member;
  }

  /** Run `work` while holding the partition's lock. */
  async withLock<T>(id: PartitionId, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((r) => (release = r));
    this.locks.set(id, current);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.locks.get(id) === current) this.locks.delete(id);
    }
  }
}
