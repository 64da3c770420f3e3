package io.sigkit.reports.evidence;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.BufferException;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An SSH signature in the SSHSIG format of {@code ssh-keygen -Y sign} (OpenSSH's {@code PROTOCOL.sshsig}), made and
 * checked with MINA SSHD's signature primitives: ed25519, ECDSA (nistp256/384/521) and RSA (rsa-sha2-512) keys, the
 * message hashed with SHA-512.
 *
 * <p>The signed data is {@code "SSHSIG" || string namespace || string reserved || string hash_algorithm ||
 * string H(message)}; the signature blob is {@code "SSHSIG" || uint32 1 || string publickey || string namespace ||
 * string reserved || string hash_algorithm || string signature}, armored between {@code -----BEGIN SSH SIGNATURE-----}
 * and {@code -----END SSH SIGNATURE-----} in base64 lines of 70 characters.
 *
 * @param publicKey the signer's public key, as carried in the signature
 * @param namespace what the signature is for (e.g. {@code sigkit-evidence}); a signature is valid only for its own
 * @param hashAlgorithm {@code sha512} or {@code sha256}
 * @param signatureAlgorithm the SSH signature algorithm, e.g. {@code ssh-ed25519}, {@code rsa-sha2-512}
 * @param signature the algorithm's signature bytes (without the algorithm name)
 */
public record SshSignature(PublicKey publicKey, String namespace, String hashAlgorithm, String signatureAlgorithm,
        byte[] signature) {

    private static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
    private static final String END = "-----END SSH SIGNATURE-----";
    /** The longest armored signature read (an RSA-16384 signature is under 6 KiB). */
    public static final int MAX_ARMORED_BYTES = 64 * 1024;

    /** Validates the parts. */
    public SshSignature {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
        Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The signer key's fingerprint as OpenSSH prints it: {@code SHA256:<base64>}. */
    public String fingerprint() {
        return fingerprint(publicKey);
    }

    /** The SSH key type of the signer, e.g. {@code ssh-ed25519}. */
    public String keyType() {
        return KeyUtils.getKeyType(publicKey);
    }

    /** A key's fingerprint as OpenSSH prints it: {@code SHA256:<base64>}. */
    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    /**
     * Signs {@code message} as {@code ssh-keygen -Y sign -n NAMESPACE} does (SHA-512; RSA keys with rsa-sha2-512).
     *
     * @throws IllegalArgumentException when the key is of a type SSHSIG does not take here (DSA, …)
     * @throws GeneralSecurityException when the key cannot sign
     */
    public static SshSignature sign(KeyPair key, String namespace, byte[] message) throws GeneralSecurityException {
        requireNamespace(namespace);
        String algorithm = signatureAlgorithm(key.getPublic());
        byte[] signed = signedData(namespace, "sha512", message);
        try {
            Signature signer = factory(algorithm).create();
            signer.initSigner(null, key.getPrivate());
            signer.update(null, signed);
            return new SshSignature(key.getPublic(), namespace, "sha512", algorithm, signer.sign(null));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new GeneralSecurityException("cannot sign with the " + KeyUtils.getKeyType(key.getPublic()) + " key: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether this signature is valid for {@code message} under {@code namespace}: the namespaces must be equal and
     * the signature must verify with the key it carries (who that key belongs to is the caller's question).
     */
    public boolean verifies(byte[] message, String namespace) {
        if (!this.namespace.equals(namespace)) {
            return false;
        }
        try {
            Signature verifier = factory(signatureAlgorithm).create();
            verifier.initVerifier(null, publicKey);
            verifier.update(null, signedData(namespace, hashAlgorithm, message));
            return verifier.verify(null, signature);
        } catch (Exception e) {
            return false;
        }
    }

    /** The armored text, as {@code ssh-keygen -Y sign} writes it (ending with a newline). */
    public String armored() {
        String b64 = Base64.getEncoder().encodeToString(blob());
        StringBuilder out = new StringBuilder(BEGIN).append('\n');
        for (int i = 0; i < b64.length(); i += 70) {
            out.append(b64, i, Math.min(b64.length(), i + 70)).append('\n');
        }
        return out.append(END).append('\n').toString();
    }

    /** The binary signature blob. */
    public byte[] blob() {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawBytes(MAGIC);
        b.putUInt(VERSION);
        ByteArrayBuffer key = new ByteArrayBuffer();
        key.putRawPublicKey(publicKey);
        b.putBytes(key.getCompactData());
        b.putString(namespace);
        b.putString("");
        b.putString(hashAlgorithm);
        ByteArrayBuffer sig = new ByteArrayBuffer();
        sig.putString(signatureAlgorithm);
        sig.putBytes(signature);
        b.putBytes(sig.getCompactData());
        return b.getCompactData();
    }

    /**
     * Reads an armored signature.
     *
     * @throws IllegalArgumentException saying what is wrong when the text is not an SSHSIG signature this kit can
     *     check (armor, base64, magic, version, key, hash algorithm, signature algorithm for the key)
     */
    public static SshSignature parse(String armored) {
        // strict armor: exactly what ssh-keygen writes, so that no byte of the file can change unnoticed
        String text = armored.endsWith("\n") ? armored.substring(0, armored.length() - 1) : armored;
        String[] lines = text.split("\n", -1);
        if (lines.length < 3 || !lines[0].equals(BEGIN) || !lines[lines.length - 1].equals(END)) {
            throw new IllegalArgumentException("not an SSH signature: it does not start with '" + BEGIN + "' and end with '"
                    + END + "' on lines of their own");
        }
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length - 1; i++) {
            if (!lines[i].matches("[A-Za-z0-9+/=]{1,76}")) {
                throw new IllegalArgumentException("line " + (i + 1) + " of the SSH signature is not base64");
            }
            body.append(lines[i]);
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(body.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the SSH signature's base64 is invalid: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(blob).equals(body.toString())) {
            throw new IllegalArgumentException("the SSH signature's base64 is not in its canonical form");
        }
        try {
            Buffer b = new ByteArrayBuffer(blob);
            byte[] magic = new byte[MAGIC.length];
            b.getRawBytes(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not an SSHSIG signature (no SSHSIG preamble)");
            }
            long version = b.getUInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("SSHSIG version " + version + " is not supported (only 1)");
            }
            PublicKey key = new ByteArrayBuffer(b.getBytes()).getRawPublicKey();
            String namespace = b.getString();
            b.getString(); // reserved
            String hash = b.getString();
            if (!hash.equals("sha512") && !hash.equals("sha256")) {
                throw new IllegalArgumentException("SSHSIG hash algorithm '" + hash + "' is not sha512 or sha256");
            }
            Buffer sig = new ByteArrayBuffer(b.getBytes());
            String algorithm = sig.getString();
            byte[] signature = sig.getBytes();
            if (b.available() != 0 || sig.available() != 0) {
                throw new IllegalArgumentException("the SSH signature has trailing data");
            }
            if (!algorithm.equals(signatureAlgorithm(key))
                    && !(algorithm.equals("rsa-sha2-256") && KeyUtils.getKeyType(key).equals("ssh-rsa"))) {
                throw new IllegalArgumentException("signature algorithm '" + algorithm + "' does not go with the "
                        + KeyUtils.getKeyType(key) + " key it carries");
            }
            return new SshSignature(key, namespace, hash, algorithm, signature);
        } catch (BufferException | org.apache.sshd.common.SshException e) {
            throw new IllegalArgumentException("the SSH signature is truncated or malformed: " + e.getMessage());
        }
    }

    /** The SSH signature algorithm used for a key: its key type, but rsa-sha2-512 for RSA (never SHA-1). */
    static String signatureAlgorithm(PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        if (type == null) {
            throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
        }
        return switch (type) {
            case "ssh-rsa" -> "rsa-sha2-512";
            case "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> type;
            default -> throw new IllegalArgumentException("a " + type + " key cannot sign evidence: use an ed25519,"
                    + " ECDSA or RSA key");
        };
    }

    private static BuiltinSignatures factory(String algorithm) {
        BuiltinSignatures f = BuiltinSignatures.fromFactoryName(algorithm);
        if (f == null || !f.isSupported()) {
            throw new IllegalArgumentException("signature algorithm " + algorithm + " is not supported");
        }
        return f;
    }

    private static void requireNamespace(String namespace) {
        if (namespace == null || namespace.isEmpty()) {
            throw new IllegalArgumentException("an SSH signature needs a namespace");
        }
    }

    private static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
        ByteArrayBuffer b = new ByteArrayBuffer();
        b.putRawBytes(MAGIC);
        b.putString(namespace);
        b.putString("");
        b.putString(hashAlgorithm);
        b.putBytes(digest(hashAlgorithm, message));
        return b.getCompactData();
    }

    private static byte[] digest(String hashAlgorithm, byte[] message) {
        try {
            return MessageDigest.getInstance(hashAlgorithm.equals("sha512") ? "SHA-512" : "SHA-256").digest(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + hashAlgorithm + " in this Java runtime", e);
        }
    }
}
