package dev.modelreg.publisher;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of URL path segments (RFC 3986 pchar), keeping '/' between segments. */
final class UrlPaths {
    private UrlPaths() {}

    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    static String trimTrailingSlash(String s) {
        return s.endsWith("/") ? trimTrailingSlash(s.substring(0, s.length() - 1)) : s;
    }
}
