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
        return run(shell, script, new byte[0]);
    }

    /** Runs a script with the given bytes on its stdin, then EOF. */
    public static Result run(List<String> shell, String script, byte[] stdin) throws IOException, InterruptedException {
        return run(shell, script, stdin, null);
    }

    /** Runs a script in a working directory ({@code null}: this process's). */
    static Result run(List<String> shell, String script, byte[] stdin, java.nio.file.Path directory)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(shell);
        cmd.add("-c");
        cmd.add(script);
        ProcessBuilder builder = new ProcessBuilder(cmd);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        Process p = builder.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("script did not finish under " + shell);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    /** Runs one of the kit's scripts with a fresh nonce, as {@link RemoteScript#run} does over SSH. */
    public static RemoteScript.Output run(List<String> shell, RemoteScript script) throws IOException, InterruptedException {
        return runIn(shell, script, null);
    }

    /** Runs one of the kit's scripts in a working directory, as {@link #run(List, RemoteScript)} does. */
    static RemoteScript.Output runIn(List<String> shell, RemoteScript script, java.nio.file.Path directory)
            throws IOException, InterruptedException {
        String nonce = RemoteScript.newNonce();
        long t0 = System.nanoTime();
        Result r = run(shell, script.text(), (nonce + "\n").getBytes(StandardCharsets.US_ASCII), directory);
        java.time.Duration d = java.time.Duration.ofNanos(System.nanoTime() - t0);
        io.sigkit.transport.ExecResult exec = new io.sigkit.transport.ExecResult(1, script.text(), r.exit(), null, r.stdout(),
                r.stderr(), false, false, d, d, false);
        return new RemoteScript.Output("local " + shell, nonce, exec, script.parse(r.stdout(), nonce));
    }

    private LocalShell() {
    }
}
