/** A producer id and epoch, as InitProducerId gives them: what a transactional producer's requests and batches carry. */
export interface ProducerIdentity {
  readonly producerId: bigint;
  readonly producerEpoch: number;
}
