package io.sigkit.bus;

/** Quoting for the POSIX shells the kit's commands run under (bash, dash, busybox ash). */
public final class Shell {
    private Shell() {
    }

    /** Single-quotes a word for any POSIX shell. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
