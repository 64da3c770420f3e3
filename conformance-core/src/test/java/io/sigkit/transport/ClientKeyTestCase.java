package io.sigkit.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Client key files made with the real {@code ssh-keygen}, in the formats users have. */
final class ClientKeyTestCase {

    private ClientKeyTestCase() {
    }

    /**
     * Generates a key pair.
     *
     * @param dir where to write it
     * @param name file name of the private key ({@code .pub} is added for the public one)
     * @param type ed25519, ecdsa or rsa
     * @param pem true for the PEM format ({@code -m PEM}), false for the OpenSSH format
     * @param passphrase empty for an unencrypted key
     * @return the private key file
     */
    static Path generate(Path dir, String name, String type, boolean pem, String passphrase) {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "sigkit-test",
                "-f", key.toString()));
        if (type.equals("rsa")) {
            cmd.addAll(List.of("-b", "2048"));
        }
        if (pem) {
            cmd.addAll(List.of("-m", "PEM"));
        }
        run(cmd);
        return key;
    }

    static Path ed25519(Path dir) {
        return generate(dir, "id_ed25519", "ed25519", false, "");
    }

    static Path publicKey(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Path write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
