package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.probe.FactsDocument;
import io.sigkit.probe.PathFacts;
import io.sigkit.probe.PayloadFacts;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SIG-FS: payload_exec and the /signaling directories. */
final class FilesystemChecks {
    private FilesystemChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-FS-001", FilesystemChecks::payloadExecExists, "SIG-ENV-003"),
                check("SIG-FS-002", FilesystemChecks::payloadExecExecutable, "SIG-FS-001"),
                check("SIG-FS-003", ctx -> writableDirectory(ctx, "SIG-FS-003", "inbox"), "SIG-ENV-003"),
                check("SIG-FS-004", ctx -> writableDirectory(ctx, "SIG-FS-004", "window-configs"), "SIG-ENV-003"),
                check("SIG-FS-006", FilesystemChecks::notWritableByOthers, "SIG-FS-001"));
    }

    /** SIG-FS-005 runs after the read-only checks: it writes. */
    static List<CheckDefinition> uplink() {
        return List.of(check("SIG-FS-005", FilesystemChecks::uplinkDirectory, "SIG-FS-003"));
    }

    static RequirementResult payloadExecExists(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-FS-001");
        PayloadFacts f = ctx.facts();
        PathFacts pe = f.payloadExec();
        Optional<PathFacts.Stat> link = pe.entryStat();
        Optional<PathFacts.Stat> target = pe.targetStat();
        String user = f.user();
        r.evidence("facts", FactsDocument.evidence(FactsDocument.of(pe)));
        if (target.isEmpty()) {
            String why = link.isPresent() && link.get().isSymlink()
                    ? "it is a symbolic link to " + (pe.realPath().isEmpty() ? "a missing file" : pe.realPath() + ", which does not exist")
                    : pe.statError();
            return r.evidence("stat", pe.statError())
                    .fail(SatelliteBus.PAYLOAD_EXEC + " does not exist on " + ctx.targetText() + " as seen by '" + user + "': " + why,
                            "a regular file at " + SatelliteBus.PAYLOAD_EXEC, "missing");
        }
        PathFacts.Stat s = target.get();
        r.evidence("type", s.type()).evidence("mode", s.modeOctal()).evidence("owner", s.owner() + ":" + s.group())
                .evidence("size", s.size()).evidence("sha256", pe.sha256());
        if (link.isPresent() && link.get().isSymlink()) {
            r.evidence("linkTarget", pe.realPath());
        }
        if (!s.isRegularFile()) {
            return r.fail(SatelliteBus.PAYLOAD_EXEC + " on " + ctx.targetText() + " is a " + s.type() + ", not a regular file",
                    "regular file", s.type());
        }
        return r.pass(SatelliteBus.PAYLOAD_EXEC + " is a regular file (" + s.modeOctal() + " " + s.owner() + ":" + s.group()
                + ", " + s.size() + " bytes" + (link.isPresent() && link.get().isSymlink() ? ", via link to " + pe.realPath() : "")
                + ", SHA-256 " + pe.sha256() + ")");
    }

    static RequirementResult payloadExecExecutable(CheckContext ctx) {
        return payloadExecExecutable(ctx.result("SIG-FS-002"), ctx.facts(), ctx.targetText());
    }

    /**
     * How Linux's {@code binfmt_script} reads a {@code #!} line (fs/binfmt_script.c, Linux 5.1 and later): it sees the
     * first {@value #BINPRM_BUF_SIZE} bytes of the file (BINPRM_BUF_SIZE; a shorter file is padded with NUL bytes). A line
     * feed in them ends the line, so the line fits when it is at most 255 bytes before its line feed. Without one, the
     * interpreter path must still end (space, tab or NUL) before byte 255, or exec fails with ENOEXEC; when it does,
     * the interpreter runs with its argument cut at byte 255. Interpreter and argument are split at the first space
     * or tab; spaces and tabs around them are dropped.
     *
     * @param interpreter the interpreter path as the kernel takes it (empty when it refuses)
     * @param argument its one optional argument as the kernel takes it
     * @param lineBytes the length of the #! line before its line feed, as far as it was read
     * @param lineComplete whether the line feed was within the bytes read (else the line is at least lineBytes long)
     * @param refused why exec fails (ENOEXEC), or null
     * @param argumentCut whether the argument the kernel passes is shorter than the one written
     */
    record KernelShebang(String interpreter, String argument, int lineBytes, boolean lineComplete, String refused,
                         boolean argumentCut) {
        /** Whether the kernel runs the interpreter with the whole line as written. */
        boolean asWritten() {
            return refused == null && !argumentCut;
        }
    }

    /** Bytes the kernel reads of a script to find its interpreter (BINPRM_BUF_SIZE, since Linux 5.1; 128 before). */
    static final int BINPRM_BUF_SIZE = 256;

    /** The kernel's reading of the start of a file that begins with {@code #!} (see {@link KernelShebang}). */
    static KernelShebang kernelShebang(byte[] head) {
        byte[] buf = java.util.Arrays.copyOf(head, BINPRM_BUF_SIZE); // NUL-padded as the kernel's buffer is
        int newline = indexOf(head, (byte) '\n', Math.min(head.length, BINPRM_BUF_SIZE));
        int fullNewline = indexOf(head, (byte) '\n', head.length);
        int lineBytes = fullNewline >= 0 ? fullNewline : head.length;
        boolean lineComplete = fullNewline >= 0;
        int bufEnd = BINPRM_BUF_SIZE - 1;
        int end;
        if (newline >= 0) {
            end = newline;
        } else {
            int start = 2;
            while (start < bufEnd && spaceTab(buf[start])) {
                start++;
            }
            if (start >= bufEnd) {
                return new KernelShebang("", "", lineBytes, lineComplete, "the first " + bufEnd
                        + " bytes after #! are spaces and tabs", false);
            }
            int t = start;
            while (t < bufEnd && !spaceTab(buf[t]) && buf[t] != 0) {
                t++;
            }
            if (t >= bufEnd) {
                return new KernelShebang("", "", lineBytes, lineComplete, "the interpreter path does not end within the "
                        + bufEnd + " bytes the kernel reads", false);
            }
            end = bufEnd;
        }
        int i = 2;
        while (i < end && spaceTab(buf[i])) {
            i++;
        }
        int interpreterEnd = i;
        while (interpreterEnd < end && !spaceTab(buf[interpreterEnd]) && buf[interpreterEnd] != 0) {
            interpreterEnd++;
        }
        String interpreter = latin1(buf, i, interpreterEnd);
        String argument = argumentOf(buf, interpreterEnd, end);
        boolean cut = false;
        if (newline < 0) {
            // what the line says after the interpreter, read to its end (or as far as the probe read)
            byte[] all = java.util.Arrays.copyOf(head, Math.max(head.length, lineBytes));
            cut = !argumentOf(all, interpreterEnd, lineBytes).equals(argument);
        }
        return new KernelShebang(interpreter, argument, lineBytes, lineComplete, null, cut);
    }

    private static String argumentOf(byte[] buf, int from, int end) {
        int a = from;
        while (a < end && spaceTab(buf[a])) {
            a++;
        }
        int z = end;
        while (z > a && spaceTab(buf[z - 1])) {
            z--;
        }
        int nul = indexOf(java.util.Arrays.copyOfRange(buf, a, z), (byte) 0, z - a);
        return latin1(buf, a, nul >= 0 ? a + nul : z);
    }

    private static boolean spaceTab(byte b) {
        return b == ' ' || b == '\t';
    }

    private static int indexOf(byte[] b, byte value, int limit) {
        for (int i = 0; i < Math.min(limit, b.length); i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, Math.max(0, to - from), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** SIG-FS-002 from the facts alone (unit tests give canned facts). */
    static RequirementResult payloadExecExecutable(RequirementResult.Builder r, PayloadFacts f, String target) {
        String user = f.user();
        String pe = SatelliteBus.PAYLOAD_EXEC;
        PathFacts facts = f.payloadExec();
        PathFacts.Shebang sb = facts.shebang() == null
                ? new PathFacts.Shebang(new byte[0], "", PathFacts.InterpreterCheck.UNKNOWN, null) : facts.shebang();
        r.evidence("executableByUser", facts.access().execute());
        if (!facts.access().execute()) {
            String mode = facts.targetStat().map(s -> s.modeOctal() + " " + s.owner() + ":" + s.group()).orElse("?");
            return r.evidence("mode", mode).fail("'" + user + "' cannot execute " + pe + " on "
                    + target + " (test -x failed; mode " + mode + ")", "executable by " + user, "not executable (" + mode + ")");
        }
        if (!sb.present()) {
            return r.evidence("firstBytes", sb.line().length() > 16 ? sb.line().substring(0, 16) : sb.line())
                    .pass(pe + " is executable by '" + user + "' (test -x) and does not start with #! (a binary, e.g. ELF;"
                            + " the kit does not check its format)");
        }
        String shebang = sb.line();
        KernelShebang k = kernelShebang(sb.head());
        String length = (k.lineComplete() ? k.lineBytes() + " bytes" : "over " + k.lineBytes() + " bytes (no line feed in"
                + " the first " + k.lineBytes() + ")");
        r.evidence("shebang", shebang.length() > 300 ? shebang.substring(0, 300) + "…" : shebang)
                .evidence("shebangBytes", k.lineComplete() ? k.lineBytes() : null)
                .evidence("interpreter", sb.interpreter()).evidence("kernelInterpreter", k.interpreter())
                .evidence("kernelArgument", k.argument());
        String kernelRule = "Linux reads only the first " + BINPRM_BUF_SIZE + " bytes of a script (BINPRM_BUF_SIZE, since"
                + " 5.1; 128 before), so a #! line must end within 255 bytes";
        if (k.refused() != null) {
            return r.fail("the #! line of " + pe + " is " + length + ": " + kernelRule + "; here " + k.refused()
                            + ", so exec fails with ENOEXEC (a shell then runs the file as a shell script)",
                    "a #! line of at most 255 bytes", length);
        }
        if (k.argumentCut()) {
            return r.fail("the #! line of " + pe + " is " + length + ": " + kernelRule + "; the kernel runs '"
                            + k.interpreter() + "' with its argument cut to '" + k.argument() + "'",
                    "a #! line of at most 255 bytes", length);
        }
        if (sb.hasCarriageReturn()) {
            return r.fail("the #! line of " + pe + " ends in a carriage return ('" + shebang
                    + "'): the kernel looks for an interpreter whose name ends in \\r, and exec fails",
                    "a #! line without \\r", shebang);
        }
        if (sb.interpreterCheck() != PathFacts.InterpreterCheck.YES) {
            return r.fail("the interpreter of " + pe + " ('" + sb.interpreter()
                    + "' from '" + shebang + "') does not exist or is not executable on " + target
                    + " (test -f and test -x as '" + user + "')",
                    "an executable interpreter", sb.interpreter() + " missing");
        }
        Optional<PathFacts.EnvTarget> env = Optional.ofNullable(sb.envTarget());
        if (env.isPresent()) {
            r.evidence("envTarget", env.get().name()).evidence("envResolved", env.get().resolved());
            if (env.get().resolved().isBlank()) {
                return r.fail("the #! line '" + shebang + "' runs '" + env.get().name() + "' through env, and '" + env.get().name()
                        + "' is not on the PATH of '" + user + "' on " + target + " (command -v found nothing)",
                        env.get().name() + " on the PATH", "not found");
            }
        }
        return r.pass(pe + " is executable by '" + user + "' (test -x); its #! line is " + length
                + " (within the kernel's 255), has no \\r, and names the interpreter " + sb.interpreter()
                + (env.isPresent() ? " (" + env.get().name() + " → " + env.get().resolved() + " on the PATH)" : "")
                + ", a file executable by '" + user + "' (test -f, test -x)");
    }

    static RequirementResult writableDirectory(CheckContext ctx, String id, String probeId) {
        RequirementResult.Builder r = ctx.result(id);
        PayloadFacts f = ctx.facts();
        PathFacts d = f.path(probeId);
        String path = d.path() + "/";
        Optional<PathFacts.Stat> stat = d.targetStat();
        PathFacts.Mount mount = d.mount() == null ? new PathFacts.Mount("", -1) : d.mount();
        PathFacts.CreateEntry probe = d.createEntry() == null
                ? new PathFacts.CreateEntry(PathFacts.CreateResult.UNKNOWN, "") : d.createEntry();
        r.evidence("path", path).evidence("stat", stat.map(s -> s.type() + " " + s.modeOctal() + " " + s.owner() + ":" + s.group())
                        .orElse(d.statError()))
                .evidence("mountOptions", mount.options()).evidence("freeKiB", mount.freeKiB() < 0 ? null : mount.freeKiB())
                .evidence("probe", probe.line()).evidence("facts", FactsDocument.evidence(FactsDocument.of(d)));
        if (stat.isEmpty()) {
            return r.fail(path + " does not exist on " + ctx.targetText() + " (" + d.statError() + ")",
                    "a directory", "missing");
        }
        if (!stat.get().isDirectory()) {
            return r.fail(path + " on " + ctx.targetText() + " is a " + stat.get().type() + ", not a directory",
                    "a directory", stat.get().type());
        }
        if (probe.result() != PathFacts.CreateResult.OK) {
            String user = f.user();
            String why = switch (probe.result()) {
                case DENIED -> "creating an entry failed: " + probe.detail();
                case LEFT -> "the probe entry could not be removed";
                default -> "reading the probe back gave: " + probe.line();
            };
            return r.fail("'" + user + "' cannot write " + path + " on " + ctx.targetText() + " (" + stat.get().modeOctal() + " "
                    + stat.get().owner() + ":" + stat.get().group() + ", mount " + mount.options() + "): " + why,
                    "create, read back and remove an entry as " + user, probe.line());
        }
        return r.pass("'" + f.user() + "' created, read back and removed an entry in " + path + " ("
                + stat.get().modeOctal() + " " + stat.get().owner() + ":" + stat.get().group() + ")");
    }

    /** The name of the file SIG-FS-005 uplinks. */
    static String fs005Name(String runId) {
        return "sigkit-fs005-" + runId + ".bin";
    }

    static RequirementResult uplinkDirectory(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-FS-005");
        String user = ctx.options().taskingUser();
        byte[] content = new byte[4096];
        new SecureRandom().nextBytes(content);
        String name = fs005Name(ctx.runId());
        PlacedFile placed;
        try {
            placed = ctx.bus().uplink(user, name, content);
        } catch (RuntimeException e) {
            return r.evidence("path", "/signaling/inbox/" + user + "/" + name).evidence("error", e.getMessage())
                    .fail("the bus could not place an uplinked file at /signaling/inbox/" + user + "/ on " + ctx.targetText()
                            + ": " + e.getMessage(), "a file written and read back", e.getMessage());
        }
        byte[] back = ctx.bus().connection().files().read(placed.path());
        String backSha = PlacedFile.sha256(back);
        // remove what this check created, right away: the inbox must be as before for the configure checks
        ctx.bus().connection().files().delete(placed.path());
        ctx.bus().manifest().resolved(CleanupItem.Kind.FILE, placed.path(), true, "removed by SIG-FS-005 after reading back");
        if (placed.createdDirectory()) {
            String dir = "/signaling/inbox/" + user;
            ctx.bus().connection().files().rmdir(dir);
            ctx.bus().manifest().resolved(CleanupItem.Kind.DIRECTORY, dir, true, "removed by SIG-FS-005");
        }
        r.evidence("path", placed.path()).evidence("bytes", placed.bytes()).evidence("sha256", placed.sha256())
                .evidence("sha256ReadBack", backSha).evidence("createdUserDirectory", placed.createdDirectory())
                .evidence("mechanism", ctx.bus().connection().files().mechanism());
        if (!backSha.equals(placed.sha256())) {
            return r.fail("the file placed at " + placed.path() + " read back differently (SHA-256 " + backSha + ", wrote "
                    + placed.sha256() + ")", placed.sha256(), backSha);
        }
        return r.pass("placed " + placed.bytes() + " bytes at " + placed.path()
                + (placed.createdDirectory() ? " (creating /signaling/inbox/" + user + "/)" : "")
                + " by " + ctx.bus().connection().files().mechanism() + ", read back with the same SHA-256, and removed it");
    }

    static RequirementResult notWritableByOthers(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-FS-006");
        PayloadFacts f = ctx.facts();
        String user = f.user();
        List<String> problems = new ArrayList<>();
        List<String> modes = new ArrayList<>();
        f.payloadExec().targetStat().ifPresent(s -> {
            modes.add(SatelliteBus.PAYLOAD_EXEC + " " + s.modeOctal() + " " + s.owner() + ":" + s.group());
            flagWritable(problems, SatelliteBus.PAYLOAD_EXEC, s, user);
            if (!s.owner().equals("root") && !s.owner().equals(user)) {
                problems.add(SatelliteBus.PAYLOAD_EXEC + " is owned by '" + s.owner() + "', neither root nor the signaling user");
            }
        });
        for (String key : new String[] {"signaling", "inbox", "window-configs"}) {
            String path = f.path(key).path();
            f.path(key).targetStat().ifPresent(s -> {
                modes.add(path + " " + s.modeOctal() + " " + s.owner() + ":" + s.group());
                flagWritable(problems, path, s, user);
            });
        }
        r.evidence("modes", modes);
        if (modes.isEmpty()) {
            return r.error("no mode bits could be read for payload_exec or /signaling");
        }
        if (!problems.isEmpty()) {
            return r.fail(String.join("; ", problems) + " on " + ctx.targetText()
                    + ": another account on the payload could replace what the bus runs or reads",
                    "not writable by other users", String.join(", ", modes));
        }
        return r.pass("payload_exec and the /signaling directories are writable only by their owners: " + String.join(", ", modes));
    }

    private static void flagWritable(List<String> problems, String path, PathFacts.Stat s, String user) {
        if (s.worldWritable()) {
            problems.add(path + " is world-writable (" + s.modeOctal() + ")");
        } else if (s.groupWritable() && !s.group().equals("root") && !s.group().equals(user)) {
            problems.add(path + " is writable by group '" + s.group() + "' (" + s.modeOctal() + ")");
        }
    }
}
