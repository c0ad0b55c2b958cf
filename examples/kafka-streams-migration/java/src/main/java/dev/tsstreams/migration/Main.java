package dev.tsstreams.migration;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Runs Kafka Streams applications until told to stop, then closes them cleanly — what the migration test needs of the
 * Java side: process what is there, commit, leave the group, so that ts-streams (or this program again) resumes.
 *
 *     java -cp … dev.tsstreams.migration.Main --bootstrap HOST:PORT --state-dir DIR \
 *         --app counts:APP_ID:INPUT:OUTPUT --app views:APP_ID:CLICKS:STATS --app final-counts:APP_ID:INPUT:OUTPUT
 *
 * Status lines on stdout: "RESTORED <changelog topic> <partition> <records>" when a store partition was restored,
 * "RUNNING <app id>" when an application reaches RUNNING, "ERROR <app id> <cause>" when one fails, "CLOSED" once every
 * application closed (exit 0). A line "close" on stdin, or its end, closes them.
 */
public final class Main {
    private Main() {
    }

    public static void main(final String[] args) throws Exception {
        String bootstrap = null;
        String stateDir = null;
        final List<String[]> apps = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--bootstrap" -> bootstrap = args[i + 1];
                case "--state-dir" -> stateDir = args[i + 1];
                case "--app" -> apps.add(args[i + 1].split(":", -1));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (--bootstrap, --state-dir, --app kind:id:input:output)");
            }
        }
        if (bootstrap == null || stateDir == null || apps.isEmpty()) {
            throw new IllegalArgumentException("--bootstrap, --state-dir and at least one --app kind:id:input:output are required");
        }

        final List<KafkaStreams> running = new ArrayList<>();
        for (final String[] app : apps) {
            if (app.length != 4) throw new IllegalArgumentException("--app takes kind:id:input:output, got " + String.join(":", app));
            final String id = app[1];
            final Topology topology = switch (app[0]) {
                case "counts" -> Counts.build(app[2], app[3]);
                case "views" -> PageViews.build(app[2], app[3]);
                case "final-counts" -> FinalCounts.build(app[2], app[3]);
                default -> throw new IllegalArgumentException("unknown application kind '" + app[0] + "': counts, views or final-counts");
            };
            final Properties config = config(id, bootstrap, stateDir);
            // Closed windows looked for on every record rather than once a second of wall clock (Kafka Streams' internal
            // emit interval; emitIntervalMs.onWindowClose 0 on the ts-streams side): the output does not depend on timing.
            if (app[0].equals("final-counts")) config.put("__emit.interval.ms.kstreams.windowed.aggregation__", 0L);
            final KafkaStreams streams = new KafkaStreams(topology, config);
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) status("RUNNING " + id);
                if (now == KafkaStreams.State.ERROR) status("ERROR " + id + " the application is in state ERROR");
            });
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(final TopicPartition changelog, final String store, final long start, final long end) {
                }

                @Override
                public void onBatchRestored(final TopicPartition changelog, final String store, final long batchEnd, final long records) {
                }

                @Override
                public void onRestoreEnd(final TopicPartition changelog, final String store, final long records) {
                    status("RESTORED " + changelog.topic() + " " + changelog.partition() + " " + records);
                }
            });
            streams.setUncaughtExceptionHandler(e -> {
                status("ERROR " + id + " " + e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            running.add(streams);
        }

        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null && !line.trim().equals("close"); line = stdin.readLine()) {
            // anything else on stdin is ignored
        }

        // Leaving the group at once (rather than after session.timeout.ms) lets the next instance — ts-streams, whose
        // rebalance protocol is not Kafka Streams' — form the group without waiting for this member to expire.
        boolean clean = true;
        for (final KafkaStreams streams : running) {
            clean &= streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP).withTimeout(Duration.ofSeconds(60)));
            clean &= streams.state() == KafkaStreams.State.NOT_RUNNING;
        }
        status(clean ? "CLOSED" : "ERROR close: an application did not close cleanly within 60 s");
        System.exit(clean ? 0 : 1);
    }

    private static Properties config(final String id, final String bootstrap, final String stateDir) {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, id);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        // No record cache: every update is written out, so the output records (not only the final counts) are the
        // same whichever system processes which half. The ts-streams side runs with cacheMaxBytes: 0 too.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        return p;
    }

    private static synchronized void status(final String line) {
        System.out.println(line);
        System.out.flush();
    }
}
