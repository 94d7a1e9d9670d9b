package dev.modelreg.content.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme ({@code basic},
 * {@code bearer}, lowercased) and its parameters ({@code realm}, {@code service}, {@code scope}, ...), in any order,
 * quoted or not. A header may hold several challenges; {@link #parse} returns them all.
 */
public record Challenge(String scheme, Map<String, String> params) {
    public Challenge {
        params = Map.copyOf(params);
    }

    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isBasic() {
        return "basic".equals(scheme);
    }

    public boolean isBearer() {
        return "bearer".equals(scheme);
    }

    /** Every challenge of the header value (empty for null or unreadable text). */
    public static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        if (header == null) return out;
        Lexer l = new Lexer(header);
        while (true) {
            l.skip(" \t,");
            String scheme = l.token();
            if (scheme.isEmpty()) break;
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                int mark = l.pos;
                l.skip(" \t,");
                String name = l.token();
                l.skip(" \t");
                if (name.isEmpty() || !l.eat('=')) {
                    l.pos = mark; // that token is the next challenge's scheme
                    break;
                }
                l.skip(" \t");
                params.put(name.toLowerCase(Locale.ROOT), l.value());
            }
            out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
        }
        return out;
    }

    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        void skip(String chars) {
            while (pos < s.length() && chars.indexOf(s.charAt(pos)) >= 0) pos++;
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        String token() {
            int start = pos;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\t' || c == ',' || c == '=' || c == '"') break;
                pos++;
            }
            return s.substring(start, pos);
        }

        String value() {
            if (!eat('"')) return token();
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') break;
                if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
                b.append(c);
            }
            return b.toString();
        }
    }
}
