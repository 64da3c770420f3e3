package io.sigkit.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of {@code certify --inventory}: many payloads certified from one process (see {@link FleetRun}). */
final class FleetOptions {

    /** Most targets certified at a time; the default is every target of the inventory, up to this. */
    static final int MAX_PARALLEL = 32;

    @Option(names = "--inventory", paramLabel = "FILE", order = 50,
            description = "Certify every payload of this inventory (JSON or YAML, inventory.v1: defaults and targets with"
                    + " a name, a target and any certify setting) from this one process; needs --report-dir DIR: each"
                    + " target's reports go to DIR/NAME, the fleet's fleet.json, junit.xml and index.html to DIR. Flags"
                    + " given here apply to every target and replace the inventory's. Exit code: the worst target's.")
    Path inventory;

    @Option(names = "--parallel", paramLabel = "N", order = 51,
            description = "With --inventory: certify N targets at a time, 1 to " + MAX_PARALLEL + " (default: every target,"
                    + " at most " + MAX_PARALLEL + ").")
    Integer parallel;
}
