package io.sigkit.probe;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the facts probe saw of one path of a probes.v1 document, as typed values (the facts.v1 {@code path} record).
 *
 * @param id the probe's id
 * @param path the path probed
 * @param entry the path itself (a link shows as one), or null when stat failed
 * @param target the path after following links, or null when it does not exist
 * @param statError what stat said when it failed (empty otherwise)
 * @param realPath the path with links resolved (empty when unknown)
 * @param access what the signaling user may do with it (test -r/-w/-x)
 * @param sha256 the file's SHA-256, or empty
 * @param shebang the file's start and interpreter, when the probe asked for them (else null)
 * @param mount the mount options and free space, when asked for (else null)
 * @param createEntry the create/read back/remove probe of a directory, when asked for (else null)
 */
public record PathFacts(String id, String path, Stat entry, Stat target, String statError, String realPath,
                        Access access, String sha256, Shebang shebang, Mount mount, CreateEntry createEntry) {

    public PathFacts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        statError = statError == null ? "" : statError;
        realPath = realPath == null ? "" : realPath;
        Objects.requireNonNull(access, "access");
        sha256 = sha256 == null ? "" : sha256;
    }

    /** The path after following links, when it exists. */
    public Optional<Stat> targetStat() {
        return Optional.ofNullable(target);
    }

    /** The path itself, when stat could read it. */
    public Optional<Stat> entryStat() {
        return Optional.ofNullable(entry);
    }

    /** Whether the path itself is a symbolic link. */
    public boolean isSymlink() {
        return entry != null && entry.isSymlink();
    }

    /** {@code stat} of a path: file type, octal mode, owner, group and size (-1 when not read). */
    public record Stat(String type, int mode, String owner, String group, long size) {
        public Stat {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(group, "group");
        }

        /** Parses {@code %F|%a|%U|%G[|%s]}; empty when stat failed or printed something else. */
        static Optional<Stat> parse(String line) {
            String[] parts = line.split("\\|");
            if (parts.length < 4) {
                return Optional.empty();
            }
            try {
                long size = parts.length > 4 ? Long.parseLong(parts[4].trim()) : -1;
                return Optional.of(new Stat(parts[0].trim(), Integer.parseInt(parts[1].trim(), 8), parts[2].trim(),
                        parts[3].trim(), size));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        public boolean isDirectory() {
            return type.equals("directory");
        }

        public boolean isRegularFile() {
            return type.startsWith("regular");
        }

        public boolean isSymlink() {
            return type.equals("symbolic link");
        }

        public boolean worldWritable() {
            return (mode & 0002) != 0;
        }

        public boolean groupWritable() {
            return (mode & 0020) != 0;
        }

        public String modeOctal() {
            return String.format(Locale.ROOT, "%04o", mode);
        }
    }

    /** What {@code test -r}, {@code -w} and {@code -x} said as the signaling user. */
    public record Access(boolean read, boolean write, boolean execute) {
        /** Parses the probe's {@code rwx} letters ({@code -} for none). */
        static Access parse(String letters) {
            return new Access(letters.contains("r"), letters.contains("w"), letters.contains("x"));
        }
    }

    /** What the probe found of a {@code #!} line's interpreter. */
    public enum InterpreterCheck {
        /** A regular file the user may execute. */
        YES,
        /** Missing, or not executable. */
        NO,
        /** The file has no #! line. */
        NONE,
        /** The probe did not say. */
        UNKNOWN
    }

    /**
     * The start of a file and its {@code #!} interpreter.
     *
     * @param head the first bytes of the file (at most 512)
     * @param interpreter the #! line's first word, {@code \r} removed (empty without #!)
     * @param interpreterCheck whether that interpreter is a file the user may execute
     * @param envTarget for {@code #!/usr/bin/env NAME}: NAME and where it resolved, else null
     */
    public record Shebang(byte[] head, String interpreter, InterpreterCheck interpreterCheck, EnvTarget envTarget) {
        public Shebang {
            head = head.clone();
            Objects.requireNonNull(interpreter, "interpreter");
            Objects.requireNonNull(interpreterCheck, "interpreterCheck");
        }

        @Override
        public byte[] head() {
            return head.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shebang s && Arrays.equals(head, s.head) && interpreter.equals(s.interpreter)
                    && interpreterCheck == s.interpreterCheck && Objects.equals(envTarget, s.envTarget);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(head), interpreter, interpreterCheck, envTarget);
        }

        @Override
        public String toString() {
            return "Shebang[" + line() + ", interpreter=" + interpreter + ", " + interpreterCheck + "]";
        }

        /** The first line as bytes, without its line feed (at most the bytes read). */
        public byte[] firstLine() {
            for (int i = 0; i < head.length; i++) {
                if (head[i] == '\n') {
                    return Arrays.copyOf(head, i);
                }
            }
            return head.clone();
        }

        /** Whether the file starts with {@code #!}. */
        public boolean present() {
            return head.length >= 2 && head[0] == '#' && head[1] == '!';
        }

        /** The first line with control characters made visible ({@code \r}). */
        public String line() {
            StringBuilder sb = new StringBuilder();
            for (byte b : firstLine()) {
                if (b == '\r') {
                    sb.append("\\r");
                } else if (b >= 0 && b < 0x20 || b == 0x7f) {
                    sb.append(String.format(Locale.ROOT, "\\x%02x", b));
                } else {
                    sb.append((char) (b & 0xff));
                }
            }
            return sb.toString();
        }

        /** Whether the first line holds a carriage return. */
        public boolean hasCarriageReturn() {
            for (byte b : firstLine()) {
                if (b == '\r') {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code #!/usr/bin/env NAME}: NAME, and where {@code command -v} found it (empty: not found). */
    public record EnvTarget(String name, String resolved) {
        public EnvTarget {
            Objects.requireNonNull(name, "name");
            resolved = resolved == null ? "" : resolved;
        }
    }

    /** The mount options and free space (KiB, -1 unknown) of the file system holding the path. */
    public record Mount(String options, long freeKiB) {
        public Mount {
            options = options == null ? "" : options;
        }
    }

    /** The outcome of the create / read back / remove probe. */
    public enum CreateResult {
        /** Created exclusively, read back equal, removed. */
        OK,
        /** Creating the entry failed. */
        DENIED,
        /** The entry could not be removed. */
        LEFT,
        /** What was read back differed. */
        READBACK,
        /** The probe printed nothing the kit knows. */
        UNKNOWN
    }

    /**
     * The create / read back / remove probe of a directory.
     *
     * @param result what happened
     * @param detail the error when denied, what was read back when it differed, the raw line when unknown
     */
    public record CreateEntry(CreateResult result, String detail) {
        public CreateEntry {
            Objects.requireNonNull(result, "result");
            detail = detail == null ? "" : detail;
        }

        static CreateEntry parse(String line) {
            if (line.equals("ok")) {
                return new CreateEntry(CreateResult.OK, "");
            }
            if (line.startsWith("denied")) {
                return new CreateEntry(CreateResult.DENIED, line.substring(6).strip());
            }
            if (line.startsWith("left")) {
                return new CreateEntry(CreateResult.LEFT, "");
            }
            if (line.startsWith("readback")) {
                return new CreateEntry(CreateResult.READBACK, line.substring(8).strip());
            }
            return new CreateEntry(CreateResult.UNKNOWN, line);
        }

        /** The probe's line as it printed it ({@code ok}, {@code denied <error>}, {@code left}, {@code readback <r>}). */
        public String line() {
            return switch (result) {
                case OK -> "ok";
                case DENIED -> "denied " + detail;
                case LEFT -> "left";
                case READBACK -> "readback " + detail;
                case UNKNOWN -> detail;
            };
        }
    }
}
