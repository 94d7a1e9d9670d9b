package dev.modelreg.testkit;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP/1.1 wire as {@link FaultProxy} reads and writes it: a start line and its headers ({@link #read}), a body of
 * a Content-Length, chunked or up to EOF ({@link #readBody}), and the head forwarded to the other side without the
 * hop-by-hop headers, with a Content-Length of its own and {@code Connection: close}.
 */
record HttpMessage(String first, List<String[]> headers) {
    static final int MAX_HEADER_BYTES = 64 << 10;
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "te", "trailer", "upgrade");

    /** Reads up to the blank line; null at EOF before anything was read. */
    static HttpMessage read(InputStream in) throws IOException {
        String first = line(in);
        if (first == null) return null;
        List<String[]> headers = new ArrayList<>();
        int total = first.length();
        for (String l; (l = line(in)) != null && !l.isEmpty(); ) {
            total += l.length();
            if (total > MAX_HEADER_BYTES) throw new IOException("headers too large");
            int colon = l.indexOf(':');
            if (colon > 0) headers.add(new String[] {l.substring(0, colon).trim(), l.substring(colon + 1).trim()});
        }
        return new HttpMessage(first, headers);
    }

    String header(String name) {
        for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
        return null;
    }

    /** The status of a response, -1 if its start line has none. */
    int status() {
        String[] p = first.split(" ", 3);
        try {
            return p.length >= 2 ? Integer.parseInt(p[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The request to send upstream: this one's start line and end-to-end headers ({@code Range} dropped when
     * {@code dropRange}), a Content-Length for {@code bodyLength} if it has a body, and {@code Connection: close}.
     */
    String forwardedRequest(int bodyLength, boolean dropRange) {
        StringBuilder sb = new StringBuilder(first).append("\r\n");
        for (String[] h : headers) {
            if (HOP_BY_HOP.contains(h[0].toLowerCase(Locale.ROOT)) || h[0].equalsIgnoreCase("Content-Length")) continue;
            if (dropRange && h[0].equalsIgnoreCase("Range")) continue;
            sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
        }
        if (bodyLength > 0 || header("Content-Length") != null) sb.append("Content-Length: ").append(bodyLength).append("\r\n");
        return sb.append("Connection: close\r\n\r\n").toString();
    }

    /**
     * The response to send the client: this one's start line and end-to-end headers, its {@code Location} passed
     * through {@code location}, a Content-Length of {@code declared} unless it has no body, and {@code Connection: close}.
     */
    String forwardedResponse(long declared, boolean noBody, java.util.function.UnaryOperator<String> location) {
        StringBuilder out = new StringBuilder(first).append("\r\n");
        for (String[] h : headers) {
            String name = h[0].toLowerCase(Locale.ROOT);
            if (HOP_BY_HOP.contains(name)) continue;
            if (name.equals("content-length") && !noBody) continue;
            String v = name.equals("location") ? location.apply(h[1]) : h[1];
            out.append(h[0]).append(": ").append(v).append("\r\n");
        }
        if (!noBody) out.append("Content-Length: ").append(Math.max(0, declared)).append("\r\n");
        return out.append("Connection: close\r\n\r\n").toString();
    }

    /**
     * The body of a message: Content-Length bytes, or de-chunked, or (a response without either) up to EOF; a
     * request without either has none.
     */
    byte[] readBody(InputStream in, boolean response) throws IOException {
        String te = header("Transfer-Encoding");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) return dechunk(in);
        String cl = header("Content-Length");
        if (cl != null) {
            long n = Long.parseLong(cl.trim());
            if (n > Integer.MAX_VALUE - 16) throw new IOException("body too large for the fault proxy: " + n);
            byte[] b = in.readNBytes((int) n);
            if (b.length != n) throw new EOFException("body ended after " + b.length + " of " + n + " bytes");
            return b;
        }
        return response ? in.readAllBytes() : new byte[0];
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            if (size == null) throw new EOFException("chunked body ended early");
            int semi = size.indexOf(';');
            int n = Integer.parseInt((semi >= 0 ? size.substring(0, semi) : size).trim(), 16);
            if (n == 0) {
                for (String t; (t = line(in)) != null && !t.isEmpty(); ) {
                    // trailers: dropped
                }
                return out.toByteArray();
            }
            byte[] b = in.readNBytes(n);
            if (b.length != n) throw new EOFException("chunk ended early");
            out.write(b);
            line(in); // CRLF after the chunk
        }
    }

    /** {@code location} moved from one of {@code origins} (a server's) to {@code base} (the proxy's); else as it is. */
    static String rebased(String location, String[] origins, String base) {
        for (String origin : origins) {
            if (location.startsWith(origin) && (location.length() == origin.length() || location.charAt(origin.length()) == '/')) {
                return base + location.substring(origin.length());
            }
        }
        return location;
    }

    /** The reason phrase of a status the proxy answers itself. */
    static String reason(int status) {
        return switch (status) {
            case 302 -> "Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Fault";
        };
    }

    /** One CRLF- (or LF-) terminated line without its terminator; null at EOF before any byte. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') break;
            if (b.size() > MAX_HEADER_BYTES) throw new IOException("line too long");
            b.write(c);
        }
        if (c < 0 && b.size() == 0) return null;
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
