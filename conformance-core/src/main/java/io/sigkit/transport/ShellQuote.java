package io.sigkit.transport;

/** Quotes words for a POSIX shell command line (bash, dash and busybox ash read it the same way). */
public final class ShellQuote {

    private ShellQuote() {
    }

    /** Single-quotes a word; a single quote inside becomes {@code '\''}. */
    public static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Quotes a path, prefixing {@code ./} to a relative path that starts with '-' so no tool reads it as an option. */
    public static String path(String path) {
        return quote(path.startsWith("-") ? "./" + path : path);
    }
}
