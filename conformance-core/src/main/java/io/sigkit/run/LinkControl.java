package io.sigkit.run;

/**
 * A hook that cuts and restores the payload's network link, as the bus may cut Ethernet after the start signal.
 * Without one, SIG-START-006 is NOT_VERIFIED. The testbed provides one for payloads started with their own link.
 */
public interface LinkControl {
    /** Cuts the link: open sessions stall, new connections fail, the payload keeps running. */
    void down() throws Exception;

    /** Restores the link. */
    void up() throws Exception;
}
