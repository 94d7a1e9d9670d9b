package dev.modelreg.spec;

/**
 * Makes text from a peer (a registry's error body, a file key, a media type) safe to print on one terminal line:
 * control characters, escape sequences and bidirectional overrides become {@code \\uXXXX}, and the text is cut to
 * {@link Limits#MAX_SHOWN_TEXT} characters.
 */
public final class Text {
    private Text() {}

    public static String printable(String s) {
        if (s == null) return "";
        if (s.length() <= Limits.MAX_SHOWN_TEXT && !hasControl(s)) return s; // the common case: nothing to escape or cut
        StringBuilder b = new StringBuilder(Math.min(s.length(), Limits.MAX_SHOWN_TEXT + 16));
        for (int i = 0; i < s.length(); i++) {
            if (b.length() >= Limits.MAX_SHOWN_TEXT) {
                b.append("...");
                break;
            }
            char c = s.charAt(i);
            if (isControl(c)) {
                b.append(escape(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@link #printable} with runs of whitespace collapsed: a multi-line body as one line. */
    public static String oneLine(String s) {
        return printable(s == null ? "" : s.replaceAll("\\s+", " ").trim());
    }

    /** A character that can drive a terminal: C0 and C1 controls, DEL, bidirectional marks and overrides. */
    private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) if (isControl(s.charAt(i))) return true;
        return false;
    }

    public static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x200e && c <= 0x200f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** How {@link #printable} shows such a character: {@code \\uXXXX}. */
    public static String escape(int c) {
        return String.format("\\u%04x", c);
    }

    /** {@code n} and the noun, plural unless {@code n} is 1: {@code count(1, "file")} is "1 file", else "N files". */
    public static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
