package dev.tsstreams.conformance;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * The bytes Kafka's own Java client (kafka-clients 4.4.0) writes for the request bodies ts-streams encodes itself for
 * exactly-once — TxnOffsetCommit v3 (KIP-447: the group's generation and member id), OffsetFetch v7 (require_stable)
 * and AddPartitionsToTxn v3 (the kafkats adapter's raw request) — and for their answers, as JSON of hex strings on
 * stdout. packages/runtime/test/transaction-requests.test.ts holds them and checks our encoders and decoders against
 * them. Run (no Maven needed: the broker's jars have kafka-clients):
 *
 *   javac -cp "$(ls -d .kafka/lib-*)/*" -d /tmp/vectors conformance/src/main/java/dev/tsstreams/conformance/TransactionRequestVectors.java
 *   java -cp "/tmp/vectors:$(ls -d .kafka/lib-*)/*" dev.tsstreams.conformance.TransactionRequestVectors
 */
public final class TransactionRequestVectors {
  private TransactionRequestVectors() {}

  public static void main(String[] args) {
    TxnOffsetCommitRequestData commit = new TxnOffsetCommitRequestData()
        .setTransactionalId("page-views-6e1ae6a6-f071-4bd3-9f05-f8e12081781c-1")
        .setGroupId("page-views")
        .setProducerId(4242L)
        .setProducerEpoch((short) 7)
        .setGenerationIdOrMemberEpoch(5)
        .setMemberId("ts-streams-0b0c1d2e")
        .setGroupInstanceId(null)
        .setTopics(List.of(
            new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("clicks").setPartitions(List.of(
                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(100L).setCommittedLeaderEpoch(-1).setCommittedMetadata("AQAAAZPCd4Ag"),
                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(3).setCommittedOffset(5_000_000_000L).setCommittedLeaderEpoch(-1).setCommittedMetadata(null))),
            new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("page-views-clicks-by-page-repartition").setPartitions(List.of(
                new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(0L).setCommittedLeaderEpoch(-1).setCommittedMetadata("")))));
    TxnOffsetCommitRequestData staticMember = new TxnOffsetCommitRequestData()
        .setTransactionalId("t").setGroupId("g").setProducerId(-1L).setProducerEpoch((short) -1)
        .setGenerationIdOrMemberEpoch(-1).setMemberId("").setGroupInstanceId("instance-1")
        .setTopics(List.of());
    TxnOffsetCommitResponseData commitAnswer = new TxnOffsetCommitResponseData()
        .setThrottleTimeMs(12)
        .setTopics(List.of(
            new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName("clicks").setPartitions(List.of(
                new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(0).setErrorCode((short) 0),
                new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(3).setErrorCode((short) 22))),
            new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName("page-views-clicks-by-page-repartition").setPartitions(List.of(
                new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition().setPartitionIndex(1).setErrorCode((short) 25)))));
    OffsetFetchRequestData fetch = new OffsetFetchRequestData()
        .setGroupId("page-views")
        .setRequireStable(true)
        .setTopics(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("clicks").setPartitionIndexes(List.of(0, 1, 2, 3)),
            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("page-views-clicks-by-page-repartition").setPartitionIndexes(List.of(2))));
    OffsetFetchResponseData fetchAnswer = new OffsetFetchResponseData()
        .setThrottleTimeMs(0)
        .setErrorCode((short) 0)
        .setTopics(List.of(
            new OffsetFetchResponseData.OffsetFetchResponseTopic().setName("clicks").setPartitions(List.of(
                new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(0).setCommittedOffset(100L).setCommittedLeaderEpoch(-1).setMetadata("AQAAAZPCd4Ag").setErrorCode((short) 0),
                new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(1).setCommittedOffset(-1L).setCommittedLeaderEpoch(-1).setMetadata("").setErrorCode((short) 0),
                new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(2).setCommittedOffset(-1L).setCommittedLeaderEpoch(-1).setMetadata(null).setErrorCode((short) 88),
                new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(3).setCommittedOffset(5_000_000_000L).setCommittedLeaderEpoch(4).setMetadata(null).setErrorCode((short) 0)))));
    AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection addTopics = new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
    addTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("clicks").setPartitions(List.of(0, 3)));
    addTopics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("page-views-clicks-by-page-repartition").setPartitions(List.of(1)));
    AddPartitionsToTxnRequestData addPartitions = new AddPartitionsToTxnRequestData()
        .setV3AndBelowTransactionalId("page-views-6e1ae6a6-f071-4bd3-9f05-f8e12081781c-1")
        .setV3AndBelowProducerId(4242L)
        .setV3AndBelowProducerEpoch((short) 7)
        .setV3AndBelowTopics(addTopics);
    AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection clicksAdded = new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection();
    clicksAdded.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult().setPartitionIndex(0).setPartitionErrorCode((short) 55));
    clicksAdded.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult().setPartitionIndex(3).setPartitionErrorCode((short) 55));
    AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection repartitionAdded = new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResultCollection();
    repartitionAdded.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult().setPartitionIndex(1).setPartitionErrorCode((short) 51));
    AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection addResults = new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection();
    addResults.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName("clicks").setResultsByPartition(clicksAdded));
    addResults.add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName("page-views-clicks-by-page-repartition").setResultsByPartition(repartitionAdded));
    AddPartitionsToTxnResponseData addPartitionsAnswer = new AddPartitionsToTxnResponseData()
        .setThrottleTimeMs(3)
        .setResultsByTopicV3AndBelow(addResults);
    System.out.println("{");
    System.out.println("  \"txnOffsetCommitV3\": \"" + hex(commit, 3) + "\",");
    System.out.println("  \"txnOffsetCommitV3StaticMember\": \"" + hex(staticMember, 3) + "\",");
    System.out.println("  \"txnOffsetCommitResponseV3\": \"" + hex(commitAnswer, 3) + "\",");
    System.out.println("  \"offsetFetchV7\": \"" + hex(fetch, 7) + "\",");
    System.out.println("  \"offsetFetchResponseV7\": \"" + hex(fetchAnswer, 7) + "\",");
    System.out.println("  \"addPartitionsToTxnV3\": \"" + hex(addPartitions, 3) + "\",");
    System.out.println("  \"addPartitionsToTxnResponseV3\": \"" + hex(addPartitionsAnswer, 3) + "\"");
    System.out.println("}");
  }

  private static String hex(Message message, int version) {
    ByteBuffer b = MessageUtil.toByteBufferAccessor(message, (short) version).buffer();
    if (b.position() > 0) b.flip();
    StringBuilder s = new StringBuilder();
    while (b.hasRemaining()) s.append(String.format("%02x", b.get()));
    return s.toString();
  }
}
