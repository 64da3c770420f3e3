package io.sigkit.cli;

/** What a command prints on stdout: text for people, or JSON for tools. */
enum OutputFormat {
    TEXT, JSON;

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
