package io.sigkit.probe;

import java.util.List;
import java.util.Objects;

/**
 * What {@code sudo -n -l COMMAND...} answered for one sudo probe of a probes.v1 document (the facts.v1 record).
 *
 * @param id the probe's id
 * @param command the command line asked about, as words
 * @param allowed whether sudo said the command is allowed with no password and no TTY (it exited 0)
 * @param exitStatus sudo's exit status, or null when the probe did not report one
 * @param output what sudo printed (the resolved command when allowed, the refusal otherwise)
 */
public record SudoAnswer(String id, List<String> command, boolean allowed, Integer exitStatus, String output) {
    public SudoAnswer {
        Objects.requireNonNull(id, "id");
        command = List.copyOf(command);
        output = output == null ? "" : output;
    }

    /** Sudo's output followed by its exit status, as the probe printed them. */
    public String transcript() {
        return (output.isEmpty() ? "" : output + "\n") + "exit=" + (exitStatus == null ? "?" : exitStatus);
    }
}
