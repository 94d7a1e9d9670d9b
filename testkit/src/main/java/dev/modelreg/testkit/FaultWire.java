package dev.modelreg.testkit;

import dev.modelreg.testkit.FaultProxy.Fault;
import dev.modelreg.testkit.FaultProxy.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** How {@link FaultProxy} breaks what it sends: a body cut, reset, corrupted or stalled, or an answer of its own. */
final class FaultWire {
    private FaultWire() {}

    /** Sends {@code body} to the client, broken as {@code fault} says (null: whole). */
    static void sendBody(Socket client, InputStream cin, OutputStream cout, byte[] body, Fault fault) throws IOException {
        if (fault == null || fault.kind() == Kind.CONTENT_LENGTH) {
            cout.write(body);
            cout.flush();
            return; // then closed (FIN): a client told a longer Content-Length is not kept waiting
        }
        int at = (int) (fault.at() < 0 ? body.length / 2 : Math.min(fault.at(), body.length - 1));
        switch (fault.kind()) {
            case CORRUPT -> {
                byte[] b = body.clone();
                b[at] ^= (byte) 0xff;
                cout.write(b);
                cout.flush();
            }
            case TRUNCATE -> {
                cout.write(body, 0, at);
                cout.flush(); // then closed (FIN) by the caller
            }
            case RESET -> {
                cout.write(body, 0, at);
                cout.flush();
                sleep(100); // let the client read what was sent before the reset discards it
                client.setSoLinger(true, 0);
                client.close();
            }
            case STALL -> {
                cout.write(body, 0, at);
                cout.flush();
                long hold = fault.hold() == null ? 30_000 : Math.max(1, fault.hold().toMillis());
                client.setSoTimeout((int) Math.min(Integer.MAX_VALUE, hold));
                try {
                    while (cin.read() >= 0) {
                        // the client has nothing more to say: wait for it to give up (EOF) or for the hold to end
                    }
                } catch (SocketTimeoutException e) {
                    // held long enough
                }
            }
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    /**
     * The proxy's own answer to {@code method}: a status (429 with Retry-After: 1; with a distribution error body when
     * the fault has a code), or a 302 to {@code location}.
     */
    static void answer(OutputStream cout, String method, Fault f, String location) throws IOException {
        byte[] body = f.kind() == Kind.REDIRECT_LOOP ? new byte[0]
                : f.code() != null ? ("{\"errors\":[{\"code\":\"" + f.code() + "\",\"message\":\"FaultProxy: injected\"}]}")
                        .getBytes(StandardCharsets.UTF_8)
                : ("FaultProxy: injected " + f.status() + "\n").getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(f.status()).append(' ').append(HttpMessage.reason(f.status())).append("\r\n");
        if (f.kind() == Kind.REDIRECT_LOOP) sb.append("Location: ").append(location).append("\r\n");
        if (f.status() == 429) sb.append("Retry-After: 1\r\n");
        if (body.length > 0) sb.append("Content-Type: ").append(f.code() != null ? "application/json" : "text/plain; charset=utf-8").append("\r\n");
        sb.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        cout.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) cout.write(body);
        cout.flush();
    }

    static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
