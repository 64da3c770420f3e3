package io.sigkit.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script under a real local shell, as sshd would run the kit's command through a login shell. */
public final class LocalShell {
    /** The shells the kit's scripts must run under, when installed here: bash, dash, busybox ash. */
    public static List<List<String>> available() {
        List<List<String>> shells = new ArrayList<>();
        if (new java.io.File("/bin/bash").canExecute()) {
            shells.add(List.of("/bin/bash"));
        }
        if (new java.io.File("/bin/dash").canExecute()) {
            shells.add(List.of("/bin/dash"));
        }
        for (String bb : new String[] {"/bin/busybox", "/usr/bin/busybox"}) {
            if (new java.io.File(bb).canExecute()) {
                shells.add(List.of(bb, "ash"));
                break;
            }
        }
        return shells;
    }

    /** The result of one run. */
    public record Result(int exit, String stdout, String stderr) {
    }

    public static Result run(List<String> shell, String script) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(shell);
        cmd.add("-c");
        cmd.add(script);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("script did not finish under " + shell);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private LocalShell() {
    }
}
