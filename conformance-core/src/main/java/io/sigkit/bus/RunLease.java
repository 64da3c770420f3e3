package io.sigkit.bus;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.cleanup.RunRecord;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ShellQuote;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's claim on what it creates on the payload: its private scratch directory {@code /tmp/sigkit-<run>} (created
 * with {@code mkdir} under umask 077, never over an existing name, and checked to be a directory the signaling user
 * owns, not a link) holding its {@link RunRecord owner record}, whose modification time a heartbeat refreshes every
 * third of the lease. Other runs leave the items of a record with a fresh heartbeat alone; see {@link Leftovers}.
 */
public final class RunLease implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final PayloadConnection connection;
    private final RunRecord record;
    private final ScheduledExecutorService heartbeat;

    private RunLease(PayloadConnection connection, RunRecord record) {
        this.connection = connection;
        this.record = record;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sigkit-heartbeat-" + record.runId());
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, record.leaseSeconds() * 1000 / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Creates the scratch directory and the owner record, and starts the heartbeat.
     *
     * @param manifest the run's manifest: the scratch directory is recorded in it before it is created
     * @throws IllegalStateException when the directory cannot be created safely (its name exists: a link, another
     *                               owner's, or an earlier run's), naming what was found
     */
    public static RunLease acquire(PayloadConnection connection, RunRecord record, CleanupManifest manifest) {
        Objects.requireNonNull(connection, "connection");
        String d = ShellQuote.quote(record.scratch());
        RemoteScript script = RemoteScript.builder().section("scratch",
                "D=" + d + "; if ( umask 077; mkdir -- \"$D\" ) 2>/dev/null; then"
                        + " if [ -d \"$D\" ] && [ ! -L \"$D\" ] && [ -O \"$D\" ]; then"
                        + " if ( set -C; umask 077; printf '%s' " + ShellQuote.quote(record.render()) + " > \"$D/owner\" ) 2>/dev/null;"
                        + " then echo created; else echo 'no-record'; fi;"
                        + " else echo 'not-own'; fi;"
                        + " elif [ -L \"$D\" ]; then echo 'exists-link'; elif [ -e \"$D\" ]; then echo 'exists';"
                        + " else echo 'mkdir-failed'; fi", 256).build();
        manifest.created(CleanupItem.Kind.DIRECTORY, record.scratch());
        Sections s = script.run(connection, CALL_TIMEOUT, "create the run's scratch directory").require();
        String result = s.first("scratch");
        if (!result.equals("created")) {
            if (result.startsWith("exists") || result.equals("not-own")) {
                // not ours: never removed by this run
                manifest.resolved(CleanupItem.Kind.DIRECTORY, record.scratch(), false,
                        "left alone: the name existed before this run (" + result + ")");
            }
            throw new IllegalStateException("the kit's scratch directory " + record.scratch() + " could not be created"
                    + " safely: " + switch (result) {
                        case "exists-link" -> "a symbolic link of that name already exists";
                        case "exists" -> "something of that name already exists";
                        case "not-own" -> "it is not a directory the signaling user owns";
                        case "no-record" -> "its owner record could not be written";
                        default -> "mkdir failed (is /tmp writable?)";
                    });
        }
        return new RunLease(connection, record);
    }

    public RunRecord record() {
        return record;
    }

    /** The scratch directory. */
    public String scratch() {
        return record.scratch();
    }

    /** Notes in the owner record that the run created a directory (before it is created). */
    public void journalDirectory(String directory) {
        String line = RunRecord.directoryLine(directory);
        connection.exec("printf '%s' " + ShellQuote.quote(line) + " >> " + ShellQuote.quote(record.scratch() + "/owner"),
                CALL_TIMEOUT);
    }

    private void beat() {
        try {
            connection.exec("touch -c -- " + ShellQuote.quote(record.scratch() + "/owner"), CALL_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.debug("heartbeat of run {} failed: {}", record.runId(), e.getMessage());
        }
    }

    /** Stops the heartbeat (the record itself goes with the scratch directory, at cleanup). */
    @Override
    public void close() {
        heartbeat.shutdownNow();
    }
}
