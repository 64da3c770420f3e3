package io.sigkit.testbed;

/** How the signaling user of a testbed payload may use sudo. */
public enum SudoMode {
    /** No sudoers entry at all. */
    NONE("--no-sudo"),
    /** {@code USER ALL=(ALL:ALL) NOPASSWD: ALL}: what the bus needs (the default). */
    PASSWORDLESS("--sudo"),
    /** {@code USER ALL=(ALL:ALL) ALL}, and the user has a password: {@code sudo -n} fails. */
    PASSWORD("--sudo-password"),
    /** {@code Defaults:USER requiretty} with NOPASSWD: sudo works only on a terminal, which the bus never asks for. */
    REQUIRETTY("--sudo-requiretty");

    private final String option;

    SudoMode(String option) {
        this.option = option;
    }

    /** The {@code payload-sandbox up} option that selects this mode. */
    public String option() {
        return option;
    }
}
