package dev.modelreg.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a server (a registry, the GitHub fixture) that caps the rate at which each
 * connection delivers the server's bytes to the client, as a CDN or a slow link does: transfers last long enough to
 * be watched, interrupted and resumed. Client-to-server bytes pass unthrottled, unless it was started with
 * {@link #startBothWays} (uploads to watch). {@link #rate} can be changed while it runs. Each connection uses two daemon threads; {@link #close()} ends them all.
 */
public final class ThrottleProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final AtomicLong bytesPerSecond;
    private final AtomicLong delivered = new AtomicLong();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final boolean uploads;
    private volatile boolean closed;

    private ThrottleProxy(ServerSocket server, InetSocketAddress target, long bytesPerSecond, boolean uploads) {
        this.server = server;
        this.target = target;
        this.bytesPerSecond = new AtomicLong(bytesPerSecond);
        this.uploads = uploads;
    }

    /** Proxies 127.0.0.1:PORT to {@code targetPort} on loopback at {@code bytesPerSecond} per connection. */
    public static ThrottleProxy start(int targetPort, long bytesPerSecond) {
        return start(targetPort, bytesPerSecond, false);
    }

    /** As {@link #start}, capping the client's bytes to the server (uploads) at the same rate too. */
    public static ThrottleProxy startBothWays(int targetPort, long bytesPerSecond) {
        return start(targetPort, bytesPerSecond, true);
    }

    private static ThrottleProxy start(int targetPort, long bytesPerSecond, boolean uploads) {
        try {
            ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            ThrottleProxy p = new ThrottleProxy(s, new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort),
                    bytesPerSecond, uploads);
            Thread t = new Thread(p::acceptLoop, "throttle-proxy-accept");
            t.setDaemon(true);
            t.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the throttling proxy", e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:PORT}: a registry host for references through the proxy. */
    public String host() {
        return "127.0.0.1:" + port();
    }

    /** Changes the cap (bytes per second per connection) for the bytes sent from now on. */
    public void rate(long perSecond) {
        bytesPerSecond.set(perSecond);
    }

    /** Server bytes delivered to clients so far. */
    public long delivered() {
        return delivered.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream, uploads, false);
                pump(upstream, client, true, true);
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean throttled, boolean counted) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                long start = System.nanoTime();
                long sent = 0;
                for (int n; (n = in.read(buf, 0, throttled ? (int) Math.min(buf.length, Math.max(1, bytesPerSecond.get() / 20)) : buf.length)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                    if (counted) delivered.addAndGet(n);
                    if (!throttled) continue;
                    sent += n;
                    long due = start + (long) (sent * 1e9 / Math.max(1, bytesPerSecond.get()));
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            } catch (IOException | InterruptedException e) {
                // a side closed: close both
            } finally {
                quietClose(from);
                quietClose(to);
            }
        }, "throttle-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        sockets.forEach(ThrottleProxy::quietClose);
    }
}
