package io.sigkit.check;

/**
 * What SIG-START-006 needs from a link hook: cut and restore the payload's link. Users implement
 * {@link io.sigkit.run.LinkControl}, which extends it.
 */
public interface LinkSwitch {
    /** Cuts the link. */
    void down() throws Exception;

    /** Restores the link. */
    void up() throws Exception;
}
