package io.sigkit.transport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The lexical rules of an OpenSSH client config: how a line splits into words, and how host patterns match. */
final class SshConfigSyntax {

    private SshConfigSyntax() {
    }

    /** Splits a line as OpenSSH does: whitespace, an optional '=' after the keyword, quotes, '#' comments. */
    static List<String> words(String line, Path file, int number) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        boolean sawEquals = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                if (cur == null) {
                    cur = new StringBuilder();
                }
                continue;
            }
            boolean equals = c == '=' && !sawEquals && (out.isEmpty() && cur != null || out.size() == 1 && cur == null);
            sawEquals |= equals;
            if (Character.isWhitespace(c) || equals) {
                if (cur != null) {
                    out.add(cur.toString());
                    cur = null;
                }
                continue;
            }
            if (c == '#' && cur == null) {
                break;
            }
            if (cur == null) {
                cur = new StringBuilder();
            }
            cur.append(c);
        }
        if (quote != 0) {
            throw SshConfig.error(file, number, "unterminated quote");
        }
        if (cur != null) {
            out.add(cur.toString());
        }
        return out;
    }

    /** OpenSSH's match_pattern_list: comma-separated patterns, a matching negated one fails the whole list. */
    static boolean patternList(String s, String list) {
        boolean matched = false;
        for (String p : list.split(",")) {
            boolean negated = p.startsWith("!");
            if (glob(s, negated ? p.substring(1) : p)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** OpenSSH's match_pattern: {@code *} any run of characters, {@code ?} one character. */
    static boolean glob(String s, String pattern) {
        int si = 0;
        int pi = 0;
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < pattern.length() && (pattern.charAt(pi) == '?' || pattern.charAt(pi) == s.charAt(si))) {
                si++;
                pi++;
            } else if (pi < pattern.length() && pattern.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < pattern.length() && pattern.charAt(pi) == '*') {
            pi++;
        }
        return pi == pattern.length();
    }
}
