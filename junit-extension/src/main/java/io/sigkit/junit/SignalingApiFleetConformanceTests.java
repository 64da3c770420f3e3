package io.sigkit.junit;

import io.sigkit.run.RunOptions;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * The requirement catalog as tests for every payload of an inventory: extend this class, set {@code sigkit.inventory}
 * to an inventory file (inventory.v1, JSON or YAML: the same file as {@code sigkit certify --inventory}), and each
 * target is a container named by the target, holding one test per requirement named as in
 * {@link SignalingApiConformanceTests} ({@code SIG-CONF-001 [REQUIRED] ...}), with the same outcomes.
 *
 * <pre>{@code
 * @SignalingConformance(inventory = "src/test/resources/fleet.yaml", parallel = 4)
 * class FleetConformanceTests extends SignalingApiFleetConformanceTests {
 * }
 * }</pre>
 *
 * <p>The targets are certified from this JVM, {@code sigkit.parallel} at a time (default: every target, at most 32),
 * each exactly as {@code sigkit certify} certifies it. A target's settings are the inventory's (its own, else the
 * defaults'); a setting of the extension (this annotation, a configuration parameter, a {@code SIGKIT_*} variable)
 * replaces them for every target, as {@code sigkit certify}'s flags do; the target itself comes only from the inventory.
 * A target that is wrong, unreachable or ends in an internal error never stops the others: its container holds one
 * failing test saying so, naming the target (aborted instead, for an unreachable one, with
 * {@code sigkit.disabledWhenUnreachable=true}). An inventory that cannot be read, breaks inventory.v1 or names two
 * targets alike fails the class, naming the file and the JSON pointer.
 */
@SignalingConformance
public abstract class SignalingApiFleetConformanceTests {

    /** Set by the extension when it creates the instance: the class's fleet. */
    FleetSession fleet;

    /**
     * One container per target of the inventory, in its order, each with one test per requirement.
     *
     * @return the containers
     */
    @TestFactory
    @DisplayName("Payload Signaling API v1.0 conformance of a fleet (sigkit)")
    public final List<DynamicContainer> signalingApiFleet() {
        if (fleet == null) {
            throw new IllegalStateException("sigkit: " + getClass().getName() + " runs with @SignalingConformance's"
                    + " extension, which was not applied");
        }
        return fleet.containers(this::customize);
    }

    /**
     * Changes a target's run options before its certification starts, for what settings cannot say: a
     * {@link io.sigkit.run.LinkControl} for SIG-START-006, other budgets. The default changes nothing.
     *
     * @param target the target's name in the inventory
     * @param options the options from its settings
     * @return the options to run with
     */
    protected RunOptions.Builder customize(String target, RunOptions.Builder options) {
        return options;
    }
}
