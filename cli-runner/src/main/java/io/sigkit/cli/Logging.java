package io.sigkit.cli;

import picocli.CommandLine.ParseResult;

/**
 * Sets up the command's one SLF4J binding (slf4j-simple) before anything logs: the kit's warnings only, to stderr
 * (Apache MINA SSHD's own are off: the kit reports the same failures as one line); nothing at all with
 * {@code --format json} (stderr then carries JSON lines only); the kit's debug log and MINA's info with
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
        // MINA's own warnings repeat, in its words, what the kit reports as one line (e.g. a host key refused)
        setDefault("log.org.apache.sshd", verbose ? "info" : "off");
        // Testcontainers (certify --image) warns that Ryuk is off, which sigkit does on purpose (it removes its
        // container itself); its container start failures reach the user as sigkit's one line.
        setDefault("log.org.testcontainers", verbose ? "info" : "off");
        setDefault("log.tc", verbose ? "info" : "off");
        setDefault("log.com.github.dockerjava", verbose ? "info" : "off");
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
