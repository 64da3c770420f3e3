package io.sigkit.probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the output of a {@link RemoteScript}. The script's stdout holds, between the lines {@code <nonce>:begin} and
 * {@code <nonce>:end}, its output as hex; decoded, it is a sequence of
 * sections, each introduced by the line {@code @@sigkit:<nonce>:<name>} and holding the raw bytes up to the next such
 * line, and ended by {@code @@sigkit:<nonce>:.end}. The nonce is a per-call secret sent on the script's stdin.
 *
 * <p>Nothing the payload prints can be mistaken for a section: bytes without the call's nonce are section content,
 * never structure, and whatever is written around the kit's encoder (not hex) or repeats a section marks the output
 * {@linkplain #tampered() tampered}. A section longer than its cap is kept {@linkplain #cut(String) cut}; output
 * without the end line is {@linkplain #complete() incomplete} (timed out, or cut by a cap).
 */
public final class Sections {
    /** The prefix of every marker line, before the nonce. */
    public static final String MARKER = "@@sigkit:";
    /** The name of the line that ends a script's output. */
    static final String END = ".end";

    private final Map<String, byte[]> sections;
    private final Set<String> cut;
    private final List<String> problems;
    private final boolean complete;

    private Sections(Map<String, byte[]> sections, Set<String> cut, List<String> problems, boolean complete) {
        this.sections = sections;
        this.cut = cut;
        this.problems = List.copyOf(problems);
        this.complete = complete;
    }

    /**
     * Parses a script's stdout.
     *
     * @param output the script's stdout (hex)
     * @param nonce the call's nonce (hex)
     * @param caps each section's cap in bytes, by name; a section with more bytes than its cap is marked cut
     */
    public static Sections parse(String output, String nonce, Map<String, Integer> caps) {
        Map<String, byte[]> map = new LinkedHashMap<>();
        Set<String> cut = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        // the encoded stream sits between "<nonce>:begin" and "<nonce>:end" lines: what a login or logout script of the
        // payload prints before or after it (a banner, a motd) is not part of it
        String out = output == null ? "" : output;
        int begin = out.indexOf("\n" + nonce + ":begin\n");
        if (begin < 0) {
            return new Sections(Map.of(), Set.of(), List.of(), false);
        }
        out = out.substring(begin + nonce.length() + 8);
        int finish = out.indexOf("\n" + nonce + ":end\n");
        if (finish >= 0) {
            out = out.substring(0, finish);
        }
        byte[] data = decodeHex(out, problems);
        byte[] marker = ("\n" + MARKER + nonce + ":").getBytes(StandardCharsets.US_ASCII);
        List<Integer> starts = new ArrayList<>();
        for (int i = indexOf(data, marker, 0); i >= 0; i = indexOf(data, marker, i + marker.length)) {
            starts.add(i);
        }
        boolean end = false;
        for (int k = 0; k < starts.size(); k++) {
            int nameStart = starts.get(k) + marker.length;
            int nameEnd = indexOf(data, new byte[] {'\n'}, nameStart);
            int next = k + 1 < starts.size() ? starts.get(k + 1) : data.length;
            if (nameEnd < 0 || nameEnd > next) {
                problems.add("a marker line without its end");
                continue;
            }
            String name = new String(data, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
            byte[] value = Arrays.copyOfRange(data, nameEnd + 1, next);
            if (name.equals(END)) {
                if (end || value.length > 1) {
                    problems.add("bytes after the end line");
                }
                end = true;
                continue;
            }
            if (end) {
                problems.add("section " + name + " after the end line");
                continue;
            }
            if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
                problems.add("a section with a malformed name");
                continue;
            }
            if (map.containsKey(name)) {
                problems.add("section " + name + " appears twice");
                continue;
            }
            Integer cap = caps.get(name);
            if (cap != null && value.length > cap) {
                cut.add(name);
                value = Arrays.copyOf(value, cap);
            }
            map.put(name, value);
        }
        return new Sections(map, cut, problems, end);
    }

    private static byte[] decodeHex(String output, List<String> problems) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(output.length() / 2);
        int hi = -1;
        boolean junk = false;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            int v = Character.digit(c, 16);
            if (v < 0 || Character.isUpperCase(c)) {
                if (!Character.isWhitespace(c)) {
                    junk = true;
                }
                continue;
            }
            if (hi < 0) {
                hi = v;
            } else {
                out.write(hi << 4 | v);
                hi = -1;
            }
        }
        if (junk) {
            problems.add("bytes that are not the kit's encoding were written into the script's output");
        }
        return out.toByteArray();
    }

    /**
     * Splits a section into the records a script separated with {@code \n@<nonce>\n} (a separator the payload cannot
     * write, as it does not know the nonce).
     *
     * @param what what the records are, for messages
     * @throws IncompleteOutputException when the section holds bytes before its first record
     */
    public static List<byte[]> records(byte[] section, String nonce, String what) {
        byte[] sep = ("\n@" + nonce + "\n").getBytes(StandardCharsets.US_ASCII);
        List<byte[]> records = new ArrayList<>();
        int at = indexOf(section, sep, 0);
        if (at < 0) {
            if (section.length > 0) {
                throw new IncompleteOutputException("the " + what + " holds no record");
            }
            return records;
        }
        if (at != 0) {
            throw new IncompleteOutputException("the " + what + " starts with bytes that are not a record");
        }
        while (at >= 0) {
            int start = at + sep.length;
            int next = indexOf(section, sep, start);
            records.add(Arrays.copyOfRange(section, start, next < 0 ? section.length : next));
            at = next;
        }
        return records;
    }

    static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Whether the script's end line arrived: the output was neither cut nor ended early. */
    public boolean complete() {
        return complete;
    }

    /** Whether something in the output imitated, repeated or broke the script's own encoding. */
    public boolean tampered() {
        return !problems.isEmpty();
    }

    /** What made the output look tampered with, for messages. */
    public List<String> problems() {
        return problems;
    }

    /** Whether a section was longer than its cap (its value holds only the first cap bytes). */
    public boolean cut(String name) {
        return cut.contains(name);
    }

    public Set<String> cutSections() {
        return Set.copyOf(cut);
    }

    public boolean has(String name) {
        return sections.containsKey(name);
    }

    /** A section's raw bytes; empty when absent. */
    public byte[] bytes(String name) {
        byte[] b = sections.get(name);
        return b == null ? new byte[0] : b.clone();
    }

    /** A section as UTF-8 text (malformed bytes replaced, trailing line breaks dropped); empty when absent. */
    public String text(String name) {
        byte[] b = sections.get(name);
        return b == null ? "" : stripTrailingNewlines(new String(b, StandardCharsets.UTF_8));
    }

    /** A section's lines ({@code \r} at line ends dropped, trailing empty lines dropped). */
    public List<String> lines(String name) {
        String text = text(name);
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\n", -1)) {
            lines.add(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
        }
        return List.copyOf(lines);
    }

    /** The first line of a section, trimmed; empty when absent. */
    public String first(String name) {
        List<String> lines = lines(name);
        return lines.isEmpty() ? "" : lines.get(0).trim();
    }

    /** The section names, in order of appearance. */
    public Set<String> names() {
        return new LinkedHashSet<>(sections.keySet());
    }

    private static String stripTrailingNewlines(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }
}
