package io.sigkit.transport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The servers sigkit connects through to reach the payload: the bastions in the order they are connected to (as
 * OpenSSH's ProxyJump chain), then the payload.
 *
 * @param jumps the bastions, first connected first; empty for a direct connection
 * @param target the payload
 */
public record Route(List<Hop> jumps, Hop target) {

    /** Validates the parts. */
    public Route {
        jumps = List.copyOf(jumps);
        Objects.requireNonNull(target, "target");
    }

    /**
     * Every hop in connection order, the payload last.
     *
     * @return the hops
     */
    public List<Hop> hops() {
        List<Hop> all = new ArrayList<>(jumps);
        all.add(target);
        return List.copyOf(all);
    }
}
