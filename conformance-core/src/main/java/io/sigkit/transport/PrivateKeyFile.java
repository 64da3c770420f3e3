package io.sigkit.transport;

import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads one OpenSSH or PEM private key file for a purpose other than logging in (signing the evidence), exactly as
 * identity files are loaded: ed25519, ECDSA or RSA, a passphrase only from a {@link SecretSource}, never a prompt.
 */
public final class PrivateKeyFile {

    private PrivateKeyFile() {
    }

    /**
     * Loads the key pair of {@code file}.
     *
     * @param file the private key file
     * @param what what the file is, for messages (e.g. {@code signing key})
     * @param passphrase where the passphrase of an encrypted file comes from
     * @param whenEncrypted the message when the file is encrypted and no passphrase source was given
     * @return the key pair (the first when the file holds several)
     * @throws TransportException of kind KEY_FILE naming the file when it is missing, unreadable, not a private key or
     *     cannot be decrypted
     */
    public static KeyPair load(Path file, String what, Optional<SecretSource> passphrase, String whenEncrypted) {
        Objects.requireNonNull(file, "file");
        List<Identities.LoadedKey> keys = Identities.loadOne(file, passphrase, System.getenv(), what, whenEncrypted);
        return keys.get(0).pair();
    }
}
