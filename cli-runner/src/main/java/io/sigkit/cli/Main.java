package io.sigkit.cli;

/** The {@code sigkit} command's entry point; everything else starts at {@link Sigkit#commandLine()}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Sigkit.commandLine().execute(args));
    }
}
