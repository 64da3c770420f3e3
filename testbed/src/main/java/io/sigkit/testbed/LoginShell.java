package io.sigkit.testbed;

import java.util.Arrays;
import java.util.Locale;

/** The signaling user's login shell in a testbed payload: the shell the bus's commands really run through. */
public enum LoginShell {
    /** GNU bash, {@code /bin/bash}. */
    BASH("/bin/bash"),
    /** dash, {@code /bin/dash}: a POSIX sh, where the bus's {@code &>} is not a redirection. */
    DASH("/bin/dash"),
    /** BusyBox ash through an {@code /bin/ash} link, listed in {@code /etc/shells}. */
    ASH("/bin/ash");

    private final String path;

    LoginShell(String path) {
        this.path = path;
    }

    /** The login shell's path in {@code /etc/passwd} of the payload. */
    public String path() {
        return path;
    }

    /** The value of {@code payload-sandbox up --shell}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The shell named by an option value such as {@code dash}; fails naming the value when there is none. */
    public static LoginShell fromOptionValue(String value) {
        return Arrays.stream(values())
                .filter(shell -> shell.optionValue().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown login shell '" + value + "' (expected bash, dash or ash)"));
    }
}
