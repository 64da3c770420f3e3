package io.sigkit.run;

import io.sigkit.check.LinkSwitch;

/**
 * A hook that cuts and restores the payload's network link, as the bus may cut Ethernet after the start signal.
 * Without one, SIG-START-006 is NOT_VERIFIED. The testbed provides one for payloads started with their own link.
 */
public interface LinkControl extends LinkSwitch {
    /** Cuts the link: open sessions stall, new connections fail, the payload keeps running. */
    @Override
    void down() throws Exception;

    /** Restores the link. */
    @Override
    void up() throws Exception;

    /** One step of a hook: cutting or restoring the link. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** A hook from its two steps, e.g. {@code LinkControl.of(payload::linkDown, payload::linkUp)}. */
    static LinkControl of(Step down, Step up) {
        java.util.Objects.requireNonNull(down, "down");
        java.util.Objects.requireNonNull(up, "up");
        return new LinkControl() {
            @Override
            public void down() throws Exception {
                down.run();
            }

            @Override
            public void up() throws Exception {
                up.run();
            }
        };
    }
}
