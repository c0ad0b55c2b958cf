/**
 * Who commits input offsets inside a transaction (Kafka's ConsumerGroupMetadata, KIP-447): the group, and the member's
 * generation as the group consumer joined it. A transactional producer sends it with the offsets (TxnOffsetCommit v3+),
 * so that the group coordinator refuses the commit of a member whose generation is over — a zombie that lost its
 * partitions while it was stopped or cut off is fenced by the group, whatever its transactional id.
 */
export interface ConsumerGroupMetadata {
  readonly groupId: string;
  /** The generation the member joined (-1 where the client has no generations: the embedded log). */
  readonly generationId: number;
  /** The member id the coordinator gave ('' where there is none). */
  readonly memberId: string;
  /** group.instance.id of a static member; null for a dynamic one (ours always are). */
  readonly groupInstanceId: string | null;
}
