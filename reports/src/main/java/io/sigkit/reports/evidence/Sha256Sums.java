package io.sigkit.reports.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A checksum list in the format of GNU {@code sha256sum} ({@code <64 hex>  <name>}, one line per file, names relative
 * to the directory with {@code /} between parts), so that {@code sha256sum -c SHA256SUMS} checks it.
 */
public final class Sha256Sums {

    /** The longest checksum list read. */
    public static final int MAX_BYTES = 1024 * 1024;

    private Sha256Sums() {
    }

    /**
     * The files of {@code dir} to list, as sorted relative names: every file in it and its subdirectories except the
     * names in {@code leaveOut} (the checksum list and its signature).
     *
     * @return the names, and in {@code notRegular} the entries that are neither a regular file nor a directory (links,
     *     sockets: neither signed nor accepted)
     */
    static List<String> files(Path dir, Set<String> leaveOut, List<String> notRegular) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir, new FileVisitOption[0])) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(dir)) {
                    continue;
                }
                String name = name(dir, p);
                if (leaveOut.contains(name)) {
                    continue;
                }
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    notRegular.add(name);
                }
            }
        }
        names.sort(null);
        notRegular.sort(null);
        return names;
    }

    private static String name(Path dir, Path file) {
        List<String> parts = new ArrayList<>();
        for (Path part : dir.relativize(file)) {
            parts.add(part.toString());
        }
        return String.join("/", parts);
    }

    /** The SHA-256 of a file, lowercase hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of bytes, lowercase hex. */
    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this Java runtime", e);
        }
    }

    /** The text of a checksum list: {@code <hash>  <name>\n} per entry, in the map's order. */
    static String format(Map<String, String> sums) {
        StringBuilder out = new StringBuilder();
        sums.forEach((name, hash) -> out.append(hash).append("  ").append(name).append('\n'));
        return out.toString();
    }

    /**
     * Whether a name can be written in a checksum list as is: sha256sum escapes names with a backslash, a line feed or
     * a carriage return, which this kit neither writes nor reads.
     */
    static boolean plainName(String name) {
        return !name.isEmpty() && name.chars().noneMatch(c -> c == '\\' || c == '\n' || c == '\r');
    }

    /**
     * Reads a checksum list.
     *
     * @param problems receives one line per line that is not {@code <64 hex>  <name>} or names a file outside the
     *     directory or twice
     * @return name to hash, in the list's order
     */
    static Map<String, String> parse(String text, String listName, List<String> problems) {
        Map<String, String> sums = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty() && i == lines.length - 1) {
                break;
            }
            if (line.length() < 67 || !line.substring(0, 64).matches("[0-9a-fA-F]{64}")
                    || line.charAt(64) != ' ' || (line.charAt(65) != ' ' && line.charAt(65) != '*')) {
                problems.add(listName + ":" + (i + 1) + ": not '<SHA-256>  <file name>'");
                continue;
            }
            String name = line.substring(66);
            if (name.startsWith("/") || name.equals("..") || name.startsWith("../") || name.contains("/../")
                    || name.endsWith("/..") || !plainName(name)) {
                problems.add(listName + ":" + (i + 1) + ": '" + name + "' is not a file name inside the directory");
                continue;
            }
            if (sums.putIfAbsent(name, line.substring(0, 64).toLowerCase(java.util.Locale.ROOT)) != null) {
                problems.add(listName + ":" + (i + 1) + ": '" + name + "' is listed twice");
            }
        }
        return sums;
    }
}
