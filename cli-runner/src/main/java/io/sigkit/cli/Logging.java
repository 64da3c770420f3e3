package io.sigkit.cli;

import picocli.CommandLine.ParseResult;

/**
 * Sets up the command's one SLF4J binding (slf4j-simple) before anything logs: warnings only, to stderr; nothing at
 * all with {@code --format json} (stderr then carries JSON lines only); the kit's own debug log with
 * {@code --verbose}. A {@code -Dorg.slf4j.simpleLogger...} property given to the JVM wins.
 *
 * <p>slf4j-simple reads its settings once, when the first logger is made: in one JVM, the first command decides.
 */
final class Logging {
    private static final String PREFIX = "org.slf4j.simpleLogger.";

    private Logging() {
    }

    static void configure(ParseResult parseResult) {
        boolean verbose = Sigkit.verbose(parseResult);
        boolean json = false;
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption("--format")) {
                json = OutputFormat.JSON == pr.matchedOptionValue("--format", OutputFormat.TEXT);
            }
        }
        setDefault("logFile", "System.err");
        setDefault("defaultLogLevel", verbose ? "info" : json ? "off" : "warn");
        if (verbose) {
            setDefault("log.io.sigkit", "debug");
            setDefault("showDateTime", "true");
            setDefault("dateTimeFormat", "HH:mm:ss.SSS");
        }
        setDefault("showThreadName", "false");
        setDefault("showShortLogName", "true");
        setDefault("levelInBrackets", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(PREFIX + key) == null) {
            System.setProperty(PREFIX + key, value);
        }
    }
}
