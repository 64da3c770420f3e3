package io.sigkit.bus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A file the bus placed on the payload.
 *
 * @param path where it was placed
 * @param bytes its size
 * @param sha256 its SHA-256, hex
 * @param createdDirectory whether the bus had to create the directory (the tasking user's inbox) for it
 */
public record PlacedFile(String path, long bytes, String sha256, boolean createdDirectory) {
    public PlacedFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
    }

    public static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    public static String sha256(String content) {
        return sha256(content.getBytes(StandardCharsets.UTF_8));
    }
}
