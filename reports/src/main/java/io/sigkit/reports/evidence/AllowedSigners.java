package io.sigkit.reports.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * An allowed signers file in the format of {@code ssh-keygen -Y verify -f} (ssh-keygen(1), "ALLOWED SIGNERS"): one
 * line per key, {@code principals [options] keytype base64-key [comment]}, the options {@code namespaces="…"},
 * {@code valid-after=…}, {@code valid-before=…} honoured; {@code cert-authority} lines (certificates) are not taken.
 */
public final class AllowedSigners {

    /** The longest file read. */
    public static final int MAX_BYTES = 1024 * 1024;

    private record Entry(String principals, PublicKey key, Map<String, String> options, int line) {
    }

    private final Path file;
    private final List<Entry> entries;

    private AllowedSigners(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /**
     * Reads an allowed signers file.
     *
     * @throws IllegalArgumentException naming the file and line when a line cannot be read
     * @throws IOException when the file cannot be read
     */
    public static AllowedSigners read(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes: not an allowed signers file");
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String principals;
            String rest;
            if (line.startsWith("\"")) {
                int close = line.indexOf('"', 1);
                if (close < 0) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": unterminated quoted principals");
                }
                principals = line.substring(1, close);
                rest = line.substring(close + 1).strip();
            } else {
                String[] parts = line.split("\\s+", 2);
                principals = parts[0];
                rest = parts.length > 1 ? parts[1] : "";
            }
            AuthorizedKeyEntry entry;
            PublicKey key;
            try {
                entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(rest);
                if (entry == null) {
                    throw new IllegalArgumentException("no key");
                }
                key = entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            } catch (IllegalArgumentException | IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": not 'principals [options] keytype key': "
                        + e.getMessage());
            }
            Map<String, String> options = entry.getLoginOptions();
            if (options.containsKey("cert-authority")) {
                continue; // certificate authorities sign certificates; this kit checks plain keys only
            }
            entries.add(new Entry(principals, key, options, i + 1));
        }
        return new AllowedSigners(file, entries);
    }

    /**
     * The principals of the first line that allows {@code key} to sign in {@code namespace} at {@code now}, as written
     * in the file (e.g. {@code alice@example.com}).
     */
    public Optional<String> principalsFor(PublicKey key, String namespace, Instant now) {
        for (Entry e : entries) {
            if (!KeyUtils.compareKeys(e.key(), key)) {
                continue;
            }
            String namespaces = option(e, "namespaces");
            if (namespaces != null && !matchesPatternList(namespace, namespaces)) {
                continue;
            }
            String after = option(e, "valid-after");
            if (after != null && now.isBefore(time(after, e))) {
                continue;
            }
            String before = option(e, "valid-before");
            if (before != null && !now.isBefore(time(before, e))) {
                continue;
            }
            return Optional.of(e.principals());
        }
        return Optional.empty();
    }

    private static String option(Entry e, String name) {
        for (Map.Entry<String, String> o : e.options().entrySet()) {
            if (o.getKey().equalsIgnoreCase(name)) {
                String v = o.getValue();
                return v != null && v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** An OpenSSH time: {@code YYYYMMDD[HHMM[SS]]}, local time, or UTC with a trailing {@code Z}. */
    private Instant time(String value, Entry e) {
        String v = value.strip();
        boolean utc = v.endsWith("Z") || v.endsWith("z");
        String digits = utc ? v.substring(0, v.length() - 1) : v;
        String pattern = switch (digits.length()) {
            case 8 -> "yyyyMMdd";
            case 12 -> "yyyyMMddHHmm";
            case 14 -> "yyyyMMddHHmmss";
            default -> null;
        };
        try {
            if (pattern == null) {
                throw new DateTimeParseException("length", digits, 0);
            }
            LocalDateTime t = digits.length() == 8
                    ? java.time.LocalDate.parse(digits, DateTimeFormatter.ofPattern(pattern, Locale.ROOT)).atStartOfDay()
                    : LocalDateTime.parse(digits, DateTimeFormatter.ofPattern(pattern, Locale.ROOT));
            ZonedDateTime z = t.atZone(utc ? ZoneOffset.UTC : ZoneId.systemDefault());
            return z.toInstant();
        } catch (DateTimeParseException ex) {
            throw new IllegalArgumentException(file + ":" + e.line() + ": invalid time '" + value
                    + "' (expected YYYYMMDD[HHMM[SS]][Z])");
        }
    }

    /** OpenSSH's pattern-list match: comma-separated globs ({@code *}, {@code ?}), {@code !} negates. */
    static boolean matchesPatternList(String value, String patterns) {
        boolean matched = false;
        for (String p : patterns.split(",")) {
            String pattern = p.strip();
            boolean negated = pattern.startsWith("!");
            if (negated) {
                pattern = pattern.substring(1);
            }
            if (glob(value, pattern)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private static boolean glob(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return value.matches(regex.toString());
    }
}
