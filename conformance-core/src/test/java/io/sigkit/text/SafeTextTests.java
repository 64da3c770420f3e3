package io.sigkit.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTests {

    /** What a hostile payload writes: cursor up, erase line, colour, OSC 52 clipboard, a bare CR, a bidi override. */
    static final String HOSTILE = "a\u001b[1A\u001b[2Kb\u001b[31mred\u001b]52;c;aGVsbG8=\u0007c\rd\u202eevil";

    @Test
    void ordinary_text_is_returned_as_it_is() {
        String text = "configure for window 2100000017 exited 1 (stderr: C:\\tmp\\x1b is a path) ✓ Grüße 漢字 😀 ~`|<>&";

        assertThat(SafeText.escapeLine(text)).isSameAs(text);
        assertThat(SafeText.escapeText(text)).isSameAs(text);
        assertThat(SafeText.escapeLine("")).isEmpty();
    }

    @Test
    void null_reads_as_string_concatenation_prints_it() {
        assertThat(SafeText.escapeLine(null)).isEqualTo("null");
        assertThat(SafeText.escapeText(null)).isEqualTo("null");
    }

    @Test
    void terminal_sequences_are_shown_escaped_and_never_reach_the_output_raw() {
        // GIVEN cursor movement, erase line, colour, OSC 52 (set the clipboard), a bare CR and a bidi override
        // WHEN escaped for one line
        String line = SafeText.escapeLine(HOSTILE);

        // THEN each control is visible as an escape, the text around it kept
        assertThat(line).isEqualTo("a\\x1b[1A\\x1b[2Kb\\x1b[31mred\\x1b]52;c;aGVsbG8=\\x07c\\rd\\u202eevil");
        assertThat(line.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
        assertThat(SafeText.escapeText(HOSTILE)).isEqualTo(line);
    }

    @Test
    void every_c0_control_is_escaped_cr_lf_and_tab_by_name_the_others_in_hex() {
        for (char c = 0; c < 0x20; c++) {
            String expected = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> String.format("\\x%02x", (int) c);
            };
            assertThat(SafeText.escapeLine("<" + c + ">")).as("U+%04X", (int) c).isEqualTo("<" + expected + ">");
        }
        assertThat(SafeText.escapeLine("\u0000\u0007\u0008\u000b\u000c\u001b")).isEqualTo("\\x00\\x07\\x08\\x0b\\x0c\\x1b");
    }

    @Test
    void del_and_every_c1_control_are_escaped() {
        assertThat(SafeText.escapeLine("x\u007fy")).isEqualTo("x\\x7fy");
        for (char c = 0x80; c <= 0x9f; c++) {
            assertThat(SafeText.escapeLine("<" + c + ">")).as("U+%04X", (int) c)
                    .isEqualTo(String.format("<\\u%04x>", (int) c));
        }
        // CSI (U+009B) is ESC [ in 8 bits: some terminals act on it
        assertThat(SafeText.escapeLine("\u009b2J")).isEqualTo("\\u009b2J");
        // the first printable characters on either side are kept
        assertThat(SafeText.escapeLine("~\u00a0é")).isEqualTo("~\u00a0é");
    }

    @Test
    void every_bidi_control_is_escaped_and_other_format_characters_are_kept() {
        String bidi = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069";

        assertThat(SafeText.escapeLine(bidi)).isEqualTo("\\u061c\\u200e\\u200f\\u202a\\u202b\\u202c\\u202d\\u202e"
                + "\\u2066\\u2067\\u2068\\u2069");
        // zero width joiner (emoji sequences) and the characters next to the bidi ranges are not controls
        assertThat(SafeText.escapeLine("👩\u200d💻 \u200d\u2029\u202f\u2065\u206a")).isEqualTo("👩\u200d💻 \u200d\u2029\u202f\u2065\u206a");
    }

    @Test
    void lone_surrogates_are_escaped_and_pairs_kept() {
        assertThat(SafeText.escapeLine("a\ud800b\udc00c😀")).isEqualTo("a\\ud800b\\udc00c😀");
        assertThat(SafeText.escapeLine("end\ud83d")).isEqualTo("end\\ud83d");
    }

    @Test
    void backslashes_are_left_as_they_are() {
        assertThat(SafeText.escapeLine("a\\nb \\x1b \\\\")).isEqualTo("a\\nb \\x1b \\\\");
    }

    @Test
    void escape_line_escapes_line_feeds_and_escape_text_keeps_them() {
        String text = "line one\nline\ttwo\r\nthree\rover";

        assertThat(SafeText.escapeLine(text)).isEqualTo("line one\\nline\\ttwo\\r\\nthree\\rover");
        assertThat(SafeText.escapeText(text)).isEqualTo("line one\nline\\ttwo\\r\nthree\\rover");
        assertThat(SafeText.escapeText(text).lines()).containsExactly("line one", "line\\ttwo\\r", "three\\rover");
    }
}
