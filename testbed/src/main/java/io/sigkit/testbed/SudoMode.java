package io.sigkit.testbed;

/**
 * How the signaling user of a testbed payload may use sudo. Every mode that has rules allows only the recording clock
 * and power stand-ins in {@code /usr/local/sbin} ({@code date}, {@code hwclock}, {@code timedatectl}, {@code shutdown},
 * {@code halt}, {@code poweroff}, {@code reboot}, with any arguments), never {@code ALL}.
 */
public enum SudoMode {
    /** No sudoers entry at all. */
    NONE("--no-sudo"),
    /** {@code USER ALL=(root) NOPASSWD: <stand-ins>}: what the bus needs (the default). */
    PASSWORDLESS("--sudo"),
    /** {@code USER ALL=(root) PASSWD: <stand-ins>}, and the user has a password: {@code sudo -n} fails. */
    PASSWORD("--sudo-password"),
    /**
     * {@code Defaults:USER requiretty} with the NOPASSWD stand-ins: sudo works only on a terminal, which the bus never
     * asks for.
     */
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
