package io.sigkit.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Remote files over plain exec channels, for servers without SFTP. The commands use only POSIX sh syntax and tool
 * options that GNU coreutils and busybox share, so they work under bash, dash and busybox ash.
 */
final class ExecFiles implements FileMechanism {

    private static final String NO_SHA = "sigkit-no-sha256sum";

    private final PayloadConnection connection;
    private final SshTarget target;
    private final Duration timeout;

    ExecFiles(PayloadConnection connection, SshTarget target, Duration timeout) {
        this.connection = connection;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "exec";
    }

    @Override
    public boolean usable() {
        return true;
    }

    @Override
    public void write(String path, byte[] content, int mode) {
        String p = ShellQuote.path(path);
        String command = "cat > " + p + " && chmod " + octal(mode) + " " + p
                + " && if command -v sha256sum >/dev/null 2>&1; then sha256sum " + p + "; else echo " + NO_SHA + "; fi";
        ExecResult r = run("write", path, ExecRequest.of(command).withStdin(content), "file write");
        String out = r.stdout().strip();
        if (out.equals(NO_SHA)) {
            byte[] back = read(path);
            if (!Arrays.equals(back, content)) {
                throw mismatch(path, content.length, back.length + " bytes read back");
            }
            return;
        }
        String remote = out.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String local = sha256(content);
        if (!remote.equals(local)) {
            throw mismatch(path, content.length, "sha256 " + remote + " on the payload, expected " + local);
        }
    }

    @Override
    public byte[] read(String path) {
        PayloadConnection.Raw raw = runRaw("read", path, ExecRequest.of("cat " + ShellQuote.path(path)), "file read");
        if (raw.result().stdoutTruncated()) {
            throw RemoteFiles.overCap(path, target, "exec", connection.settings().outputCap(), raw.stdoutTotal());
        }
        return raw.stdout();
    }

    @Override
    public boolean exists(String path) {
        String p = ShellQuote.path(path);
        ExecResult r = run("check", path,
                ExecRequest.of("if test -e " + p + " || test -L " + p + "; then echo yes; else echo no; fi"), "file exists");
        return r.stdout().strip().equals("yes");
    }

    @Override
    public boolean delete(String path) {
        String p = ShellQuote.path(path);
        ExecResult r = run("delete", path, ExecRequest.of("if test -e " + p + " || test -L " + p + "; then rm -f " + p
                + " && echo deleted; else echo absent; fi"), "file delete");
        return r.stdout().strip().equals("deleted");
    }

    @Override
    public void mkdir(String path, int mode) {
        String option = mode == DEFAULT_MODE ? "" : "-m " + octal(mode) + " ";
        run("create directory", path, ExecRequest.of("mkdir " + option + ShellQuote.path(path)), "file mkdir");
    }

    @Override
    public void rmdir(String path) {
        run("remove directory", path, ExecRequest.of("rmdir " + ShellQuote.path(path)), "file rmdir");
    }

    @Override
    public void close() {
        // nothing held between calls
    }

    private ExecResult run(String what, String path, ExecRequest request, String purpose) {
        return runRaw(what, path, request, purpose).result();
    }

    private PayloadConnection.Raw runRaw(String what, String path, ExecRequest request, String purpose) {
        PayloadConnection.Raw raw = connection.run(request.withTimeout(timeout).withPurpose(purpose),
                connection.settings().outputCap());
        ExecResult r = raw.result();
        if (r.timedOut()) {
            throw new TransportException(TransportException.Kind.TIMEOUT, "cannot " + what + " " + path + " on "
                    + target.login() + " over exec: no answer within " + timeout.toSeconds() + " s");
        }
        if (!r.succeeded()) {
            String status = r.exitStatus() != null ? "exit " + r.exitStatus() : "signal " + r.exitSignal();
            String tail = r.stderrTail(300);
            throw new TransportException(TransportException.Kind.IO, "cannot " + what + " " + path + " on "
                    + target.login() + " over exec: " + status + (tail.isEmpty() ? "" : ": " + tail));
        }
        return raw;
    }

    private TransportException mismatch(String path, int length, String seen) {
        return new TransportException(TransportException.Kind.IO, "content of " + path + " on " + target.login()
                + " differs after writing over exec (wrote " + length + " bytes; " + seen + ")");
    }

    static String octal(int mode) {
        return String.format(Locale.ROOT, "%04o", mode);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

}
