package io.sigkit.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a secret (a key passphrase or a password) comes from: an environment variable or a file, never a prompt.
 *
 * <p>Only the variable's name or the file's path is held here, so the value never reaches a log or a report.
 *
 * @param kind where to look
 * @param name the environment variable's name, or the file's path
 */
public record SecretSource(Kind kind, String name) {

    /** Where a secret is read from. */
    public enum Kind {
        /** An environment variable of the kit's process. */
        ENVIRONMENT,
        /** A file whose content (less one trailing newline) is the secret. */
        FILE
    }

    /** Validates the parts. */
    public SecretSource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("empty " + (kind == Kind.ENVIRONMENT ? "environment variable name" : "file name")
                    + " for a secret");
        }
        if (kind == Kind.ENVIRONMENT && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("invalid environment variable name '" + name + "'");
        }
    }

    /**
     * A secret held in an environment variable.
     *
     * @param variable the variable's name
     * @return the source
     */
    public static SecretSource environment(String variable) {
        return new SecretSource(Kind.ENVIRONMENT, variable);
    }

    /**
     * A secret held in a file (one trailing newline is dropped).
     *
     * @param file the file
     * @return the source
     */
    public static SecretSource file(Path file) {
        return new SecretSource(Kind.FILE, file.toString());
    }

    /**
     * Says where the secret comes from, for messages: {@code environment variable X} or {@code file /p}.
     *
     * @return the description
     */
    public String describe() {
        return (kind == Kind.ENVIRONMENT ? "environment variable " : "file ") + name;
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * Reads the secret.
     *
     * @param environment the process environment
     * @param failure the kind of exception to throw when it cannot be read
     * @param purpose what the secret is for, e.g. "passphrase"
     * @return the secret
     * @throws TransportException naming the source if it is unset, empty or unreadable
     */
    String read(Map<String, String> environment, TransportException.Kind failure, String purpose) {
        String value;
        if (kind == Kind.ENVIRONMENT) {
            value = environment.get(name);
            if (value == null) {
                throw new TransportException(failure, "the " + purpose + " " + describe() + " is not set");
            }
        } else {
            try {
                value = Files.readString(Path.of(name), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new TransportException(failure, "cannot read the " + purpose + " from " + describe() + ": no such file");
            } catch (IOException e) {
                throw new TransportException(failure, "cannot read the " + purpose + " from " + describe() + ": " + e.getMessage(), e);
            }
            if (value.endsWith("\r\n")) {
                value = value.substring(0, value.length() - 2);
            } else if (value.endsWith("\n")) {
                value = value.substring(0, value.length() - 1);
            }
        }
        if (value.isEmpty()) {
            throw new TransportException(failure, "the " + purpose + " in " + describe() + " is empty");
        }
        return value;
    }
}
