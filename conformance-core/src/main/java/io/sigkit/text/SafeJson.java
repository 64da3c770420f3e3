package io.sigkit.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Locale;

/**
 * JSON output that is safe on a terminal too ({@code sigkit certify --format json}, the JSON progress lines on stderr,
 * {@code cat report.json}): the text stays exactly what the payload sent once parsed, but besides the C0 controls that
 * JSON escapes anyway, DEL, the C1 controls (8-bit CSI U+009B, …) and the bidi controls that {@link SafeText} escapes
 * are written as {@code \}{@code uXXXX} JSON escapes instead of raw bytes. (With custom escapes set, Jackson also
 * writes characters outside the Basic Multilingual Plane, such as emoji, as a pair of surrogate escapes: the same text
 * once parsed.)
 */
public final class SafeJson {

    private static final Escapes ESCAPES = new Escapes();

    private SafeJson() {
    }

    /** A Jackson factory that writes those characters escaped: {@code JsonMapper.builder(SafeJson.factory())}. */
    public static JsonFactory factory() {
        return new JsonFactoryBuilder().characterEscapes(ESCAPES).build();
    }

    /** The Jackson character escapes, for a factory built elsewhere. */
    public static CharacterEscapes escapes() {
        return ESCAPES;
    }

    private static final class Escapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;

        private final int[] ascii;

        Escapes() {
            int[] codes = standardAsciiEscapesForJSON();
            codes[0x7f] = ESCAPE_STANDARD;
            this.ascii = codes;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii.clone();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean escaped = (ch >= 0x80 && ch <= 0x9f) || SafeText.isBidiControl(ch);
            return escaped ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
        }
    }
}
