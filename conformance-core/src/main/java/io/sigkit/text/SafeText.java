package io.sigkit.text;

/**
 * Makes untrusted text (payload output, names, files, error messages that quote them) safe to print on a terminal or
 * into a plain-text or Markdown file: every character that a terminal would act on instead of showing is replaced by
 * a visible escape, so that a payload can neither move the cursor, erase or recolour lines, set the clipboard (OSC
 * 52) or the window title, nor make text read in another order than it was written.
 *
 * <p>Escaped, everywhere:
 * <ul>
 *   <li>C0 controls U+0000–U+001F: {@code \r} and {@code \t} as such, the others as {@code \xNN} (ESC is
 *       {@code \x1b}, BEL {@code \x07}, NUL {@code \x00}); {@code \n} too in {@link #escapeLine};</li>
 *   <li>DEL U+007F as {@code \x7f};</li>
 *   <li>C1 controls U+0080–U+009F (CSI U+009B, OSC U+009D, NEL U+0085, …) as <code>&#92;u009b</code>;</li>
 *   <li>the Unicode bidirectional controls (the {@code Bidi_Control} property: U+061C, U+200E, U+200F,
 *       U+202A–U+202E, U+2066–U+2069), which reorder what follows them on screen ("Trojan Source"), as
 *       <code>&#92;u202e</code>;</li>
 *   <li>a lone surrogate (half of a character, which no encoder can write) as <code>&#92;ud800</code>.</li>
 * </ul>
 * Everything else, backslashes included, is left as it is: ordinary text prints byte for byte as before, and a
 * literal {@code \x1b} already in the text stays literal (the reader cannot tell the two apart, but neither can act
 * on the terminal). Hex digits are lower case. Null is {@code "null"}, as string concatenation prints it.
 *
 * <p>Formats that escape for themselves (JSON) need none of this; the other reports apply it before their own
 * escaping.
 */
public final class SafeText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {
    }

    /**
     * For one-line contexts (a progress line, an error line, a table cell): every control character escaped,
     * line breaks too, so the text cannot start a line of its own.
     */
    public static String escapeLine(String text) {
        return escape(text, false);
    }

    /**
     * For multi-line text (a payload's stderr shown as a block, report text): as {@link #escapeLine}, but line feeds
     * {@code \n} are kept. A carriage return is escaped, also before a line feed: alone it would return the cursor
     * and let the rest of the line overwrite what was printed.
     */
    public static String escapeText(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepNewlines) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean escaped = escaped(c) && !(keepNewlines && c == '\n');
            if (!escaped) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(n + 16).append(text, 0, i);
            }
            appendEscape(out, c);
        }
        return out == null ? text : out.toString();
    }

    private static boolean escaped(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || isBidiControl(c) || Character.isSurrogate(c);
    }

    /** The Unicode {@code Bidi_Control} characters (PropList.txt). */
    static boolean isBidiControl(int c) {
        return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    private static void appendEscape(StringBuilder out, char c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c <= 0x7f) {
                    out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                } else {
                    out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                }
            }
        }
    }
}
