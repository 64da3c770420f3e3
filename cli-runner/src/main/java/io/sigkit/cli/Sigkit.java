package io.sigkit.cli;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.run.Kit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code sigkit} command: certifies a payload against Spire's Payload Signaling API v1.0 over SSH. */
@Command(name = "sigkit",
        mixinStandardHelpOptions = true,
        versionProvider = Sigkit.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Certifies, over SSH, that a Linux satellite payload satisfies Spire's Payload Signaling API v1.0.",
        description = {"",
            "Start with 'sigkit demo' (certifies a reference payload started on this machine), then 'sigkit "
                + "certify --target ssh://USER@HOST:PORT --identity KEY' on your own payload.",
            ""},
        commandListHeading = "%nCommands:%n",
        subcommands = {
            CertifyCommand.class,
            ValidateCommand.class,
            ListCommand.class,
            SignalCallCommand.class,
            DemoCommand.class,
            DiffCommand.class,
            VerifyCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Sigkit implements Runnable {

    static final String VERBOSE = "--verbose";

    @Spec
    CommandSpec spec;

    @Option(names = {"-v", VERBOSE}, scope = ScopeType.INHERIT,
            description = "Log what the kit does (to stderr) and print stack traces of internal errors.")
    boolean verbose;

    /**
     * The command line with its exit codes, error handlers and logging set up; tests call
     * {@code commandLine().execute(...)} with their own output writers.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Sigkit());
        cl.setParameterExceptionHandler(new ExitCodes.ParameterErrors());
        cl.setExecutionExceptionHandler(new ExitCodes.ExecutionErrors());
        cl.setExecutionStrategy(parseResult -> {
            Logging.configure(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        exitCodes(cl, ExitCodes.certifyHelp());
        exitCodes(cl.getSubcommands().get("certify"), ExitCodes.certifyHelp());
        exitCodes(cl.getSubcommands().get("demo"), ExitCodes.certifyHelp());
        exitCodes(cl.getSubcommands().get("validate"), ExitCodes.validateHelp());
        exitCodes(cl.getSubcommands().get("list"), ExitCodes.listHelp());
        exitCodes(cl.getSubcommands().get("signal"), ExitCodes.signalHelp());
        exitCodes(cl.getSubcommands().get("diff"), ExitCodes.diffHelp());
        exitCodes(cl.getSubcommands().get("verify"), ExitCodes.verifyHelp());
        return cl;
    }

    private static void exitCodes(CommandLine cl, java.util.Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
    }

    /** Whether --verbose was given anywhere on the command line. */
    static boolean verbose(ParseResult parseResult) {
        for (ParseResult pr = parseResult; pr != null; pr = pr.subcommand()) {
            if (pr.hasMatchedOption(VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "no command given: use certify, validate, list, signal, demo, diff or verify");
    }

    /**
     * {@code sigkit --version}: the kit, the catalog and the Signaling API version it certifies, and the kit's
     * provenance (commit, dirty flag, SHA-256 of the running jar).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            RequirementCatalog catalog = RequirementCatalog.load();
            Kit.Provenance kit = Kit.provenance();
            return new String[] {"sigkit " + Kit.VERSION + " (catalog " + catalog.version() + ", Payload Signaling API "
                    + catalog.specVersion() + ")",
                "commit " + kit.commit() + (kit.dirty() == null ? "" : kit.dirty() ? " (dirty tree)" : " (clean tree)"),
                kit.jar() == null ? "not run from a jar" : kit.jar().name() + " sha256 " + kit.jar().sha256(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
