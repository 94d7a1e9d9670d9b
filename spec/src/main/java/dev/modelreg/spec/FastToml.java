package dev.modelreg.spec;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A fast reader for the plain TOML subset that registry and bootstrap files use: comments, {@code [table.path]}
 * headers with bare or quoted keys, and {@code key = value} where the value is a basic or literal string, an
 * array of such strings (over several lines, trailing comma allowed), a decimal integer, a boolean, a
 * date-time or an inline table of those ({@code "a.nam" = {hash = "…", url = "…"}}, the way many registry files
 * list their files). It returns null as soon as it meets anything else (dotted keys, multi-line strings,
 * floats, array tables, duplicate definitions, inline tables nested deeper than {@value #MAX_DEPTH}, malformed
 * text); the caller then uses the full parser (tomlj), which also produces the error position (and refuses nesting
 * over 128 levels). Cold, this is ~10x faster than tomlj and loads no parser classes.
 *
 * <p>Output: nested {@code LinkedHashMap}s of String, Long, Boolean, {@code List<Object>} and java.time values,
 * the same shape {@link TomlText} converts tomlj's result to.
 */
final class FastToml {
    private static final String TIME = "[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?";
    private static final Pattern DATE_LIKE = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ]" + TIME + "([Zz]|[+-][0-9]{2}:[0-9]{2})?)?|" + TIME);

    /** Inline tables nest this deep at most here (registry files use one level): deeper is left to tomlj. */
    static final int MAX_DEPTH = 16;

    private final String s;
    private int i;
    private int depth;
    private final Map<String, Object> root = new LinkedHashMap<>();
    private final Set<Map<String, Object>> explicit = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** Inline tables are complete where they stand: no header may define or extend them. */
    private final Set<Map<String, Object>> inline = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private FastToml(String s) {
        this.s = s;
    }

    /** The document as nested maps, or null if it is outside the subset (or not valid TOML). */
    static Map<String, Object> parse(String text) {
        try {
            return new FastToml(text).document();
        } catch (Bail b) {
            return null;
        }
    }

    private static final class Bail extends RuntimeException {
        Bail() {
            super(null, null, false, false);
        }
    }

    private static final Bail BAIL = new Bail();

    private Map<String, Object> document() {
        Map<String, Object> table = root;
        while (true) {
            ws();
            if (i >= s.length()) return root;
            char c = s.charAt(i);
            if (c == '#' || c == '\n' || c == '\r') {
                endOfLine();
            } else if (c == '[') {
                table = header();
            } else {
                keyValue(table);
            }
        }
    }

    private Map<String, Object> header() {
        i++; // '['
        if (peek() == '[') throw BAIL; // array of tables
        List<String> path = new ArrayList<>();
        while (true) {
            ws();
            path.add(key());
            ws();
            char c = next();
            if (c == ']') break;
            if (c != '.') throw BAIL;
        }
        endOfLine();
        Map<String, Object> t = root;
        for (String k : path) {
            Object v = t.get(k);
            if (v == null) {
                Map<String, Object> m = new LinkedHashMap<>();
                t.put(k, m);
                t = m;
            } else if (v instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
                if (inline.contains(m)) throw BAIL;
                t = m;
            } else {
                throw BAIL;
            }
        }
        if (!explicit.add(t)) throw BAIL; // table defined twice
        return t;
    }

    private void keyValue(Map<String, Object> table) {
        String k = key();
        ws();
        if (next() != '=') throw BAIL; // also dotted keys
        ws();
        Object v = value();
        if (table.containsKey(k)) throw BAIL;
        table.put(k, v);
        endOfLine();
    }

    private Object value() {
        char c = peek();
        if (c == '"' || c == '\'') return string();
        if (c == '[') return array();
        if (c == '{') return inlineTable();
        int start = i;
        while (i < s.length() && " \t\r\n#,]}".indexOf(s.charAt(i)) < 0) i++;
        String word = s.substring(start, i);
        if (word.equals("true")) return Boolean.TRUE;
        if (word.equals("false")) return Boolean.FALSE;
        if (isInteger(word)) {
            try {
                return Long.parseLong(word.replace("_", ""));
            } catch (NumberFormatException e) {
                throw BAIL;
            }
        }
        if (isDateWithSpaceTime(start, word) || DATE_LIKE.matcher(word).matches()) {
            return dateTime(s.substring(start, i));
        }
        throw BAIL;
    }

    /** TOML's decimal integer, {@code [+-]?(0|[1-9](_?[0-9])*)}, as a loop: a registry file may give every file a size. */
    static boolean isInteger(String w) {
        int k = w.startsWith("+") || w.startsWith("-") ? 1 : 0;
        if (k == w.length()) return false;
        char first = w.charAt(k++);
        if (first == '0') return k == w.length();
        if (first < '1' || first > '9') return false;
        while (k < w.length()) {
            char c = w.charAt(k++);
            if (c == '_') {
                if (k == w.length()) return false;
                c = w.charAt(k++);
            }
            if (c < '0' || c > '9') return false;
        }
        return true;
    }

    /** "1979-05-27 07:32:00Z": a date, one space, a time; extend the word over the time part. */
    private boolean isDateWithSpaceTime(int start, String word) {
        if (!word.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}") || i + 1 >= s.length() || s.charAt(i) != ' '
                || !Character.isDigit(s.charAt(i + 1))) {
            return false;
        }
        int end = i + 1;
        while (end < s.length() && " \t\r\n#,]}".indexOf(s.charAt(end)) < 0) end++;
        if (!DATE_LIKE.matcher(s.substring(start, end)).matches()) return false;
        i = end;
        return true;
    }

    private static Object dateTime(String text) {
        String t = text.replace(' ', 'T').replace('t', 'T').replace('z', 'Z');
        try {
            if (t.length() == 10) return LocalDate.parse(t);
            if (t.indexOf('-') < 0) return LocalTime.parse(t);
            if (t.endsWith("Z") || t.lastIndexOf('+') > 10 || t.lastIndexOf('-') > 10) return OffsetDateTime.parse(t);
            return LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            throw BAIL;
        }
    }

    /** {@code { k = v, k2 = v2 }} on one line: no newline, no trailing comma, no dotted or repeated key. */
    private Map<String, Object> inlineTable() {
        if (++depth > MAX_DEPTH) throw BAIL; // never a stack overflow on hostile nesting
        i++; // '{'
        Map<String, Object> t = new LinkedHashMap<>();
        inline.add(t);
        ws();
        if (peek() == '}') {
            i++;
            depth--;
            return t;
        }
        while (true) {
            ws();
            String k = key();
            ws();
            if (next() != '=') throw BAIL; // also dotted keys
            ws();
            Object v = value();
            if (t.containsKey(k)) throw BAIL;
            t.put(k, v);
            ws();
            char c = next();
            if (c == '}') {
                depth--;
                return t;
            }
            if (c != ',') throw BAIL;
        }
    }

    private List<Object> array() {
        i++; // '['
        List<Object> out = new ArrayList<>();
        while (true) {
            wsAndNewlines();
            if (peek() == ']') {
                i++;
                return out;
            }
            char c = peek();
            if (c != '"' && c != '\'') throw BAIL; // only arrays of strings
            out.add(string());
            wsAndNewlines();
            char sep = next();
            if (sep == ']') return out;
            if (sep != ',') throw BAIL;
        }
    }

    private String key() {
        char c = peek();
        if (c == '"' || c == '\'') return string();
        int start = i;
        while (i < s.length() && bare(s.charAt(i))) i++;
        if (i == start) throw BAIL;
        return s.substring(start, i);
    }

    private static boolean bare(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private String string() {
        char q = next();
        if (i + 1 < s.length() && s.charAt(i) == q && s.charAt(i + 1) == q) throw BAIL; // multi-line string
        int start = i;
        while (i < s.length()) { // common case: no escapes
            char c = s.charAt(i);
            if (c == q) return s.substring(start, i++);
            if (c == '\\' || c < 0x20 || c == 0x7f) break;
            i++;
        }
        StringBuilder sb = new StringBuilder().append(s, start, i);
        while (true) {
            char c = next();
            if (c == q) return sb.toString();
            if ((c < 0x20 && c != '\t') || c == 0x7f) throw BAIL;
            if (c == '\\' && q == '"') {
                escape(sb);
            } else {
                sb.append(c);
            }
        }
    }

    private void escape(StringBuilder sb) {
        char e = next();
        switch (e) {
            case 'b' -> sb.append('\b');
            case 't' -> sb.append('\t');
            case 'n' -> sb.append('\n');
            case 'f' -> sb.append('\f');
            case 'r' -> sb.append('\r');
            case '"' -> sb.append('"');
            case '\\' -> sb.append('\\');
            case 'u', 'U' -> {
                int n = e == 'u' ? 4 : 8;
                if (i + n > s.length()) throw BAIL;
                String hex = s.substring(i, i + n);
                if (!hex.matches("[0-9A-Fa-f]+")) throw BAIL;
                long cp = Long.parseLong(hex, 16);
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) throw BAIL;
                sb.appendCodePoint((int) cp);
                i += n;
            }
            default -> throw BAIL;
        }
    }

    /** Optional whitespace, an optional comment, then a newline or the end. */
    private void endOfLine() {
        ws();
        if (i < s.length() && s.charAt(i) == '#') {
            i++;
            while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
                char c = s.charAt(i++);
                if ((c < 0x20 && c != '\t') || c == 0x7f) throw BAIL;
            }
        }
        if (i >= s.length()) return;
        newline();
    }

    private void newline() {
        char c = next();
        if (c == '\r') {
            if (next() != '\n') throw BAIL;
        } else if (c != '\n') {
            throw BAIL;
        }
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
    }

    /** Inside arrays: whitespace and newlines; comments are left to the full parser. */
    private void wsAndNewlines() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n') {
                i++;
            } else if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i += 2;
            } else {
                return;
            }
        }
    }

    private char peek() {
        if (i >= s.length()) throw BAIL;
        return s.charAt(i);
    }

    private char next() {
        if (i >= s.length()) throw BAIL;
        return s.charAt(i++);
    }
}
