package io.sigkit.check;

import io.sigkit.transport.ConnectionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options of a run as the checks read them: {@link io.sigkit.run.RunOptions} implements it, so that {@code check}
 * does not depend on {@code run} (which runs the checks). A check that needs another option adds its accessor here.
 */
public interface CheckOptions {
    ConnectionSettings connection();

    String taskingUser();

    List<Path> uplinks();

    Duration windowLength();

    boolean allowClockSet();

    boolean allowDestructive();

    Duration configureBudget();

    Duration configureGrace();

    Duration startReturnBudget();

    Duration endGrace();

    String shutdownCommand();

    Duration shutdownBound();

    LinkSwitch linkControl();

    /** Requirement IDs or tags selected with {@code --include} (empty: all). */
    java.util.Set<String> include();

    /** Requirement IDs or tags removed with {@code --exclude}. */
    java.util.Set<String> exclude();

    /** Users' probes files; each probe is a check of its own. */
    List<io.sigkit.probe.ProbeDocument> probes();

    /** The user's tasking parameters, placed in {@code signal_parameters.tasking_parameters}. */
    com.fasterxml.jackson.databind.node.ObjectNode taskingParameters();

    /** How many times configure is timed (SIG-CONF-002). */
    int repetitions();
}
